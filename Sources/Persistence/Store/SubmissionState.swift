import GatewayCore

/// Status strings the store knows about.
///
/// States are plain strings because the Spark operator adds new ones over time (the suspend states
/// are recent) and BPG rows may hold anything; unknown states are stored and returned as they are.
public enum SubmissionState {
    /// Gateway state: the submission is recorded and the Kubernetes create is in progress.
    public static let accepted = "ACCEPTED"
    /// Gateway state: the `SparkApplication` was created; the operator has not reported yet.
    public static let created = "CREATED"
    /// The Kubernetes create failed; the row also carries the error (the operator's own name for a
    /// submission that failed, so a row written by either reads the same).
    public static let submissionFailed = ApplicationState.Kind.submissionFailed.rawValue
    /// Gateway state: the create was sent but its outcome is unknown (a timeout, a dropped connection,
    /// a 5xx, or a shutdown after the request left). Never read as a failure: the application may
    /// exist. The monitor or the gateway's resolver settles it: a status the operator reports moves it
    /// on, and an application that never appears ends `FENCED`.
    public static let outcomeUnknown = "OUTCOME_UNKNOWN"
    /// Gateway state: an attempt whose outcome was unknown and that the gateway abandoned (to run the
    /// job elsewhere, or to answer its client with an error). Any application that appears for it is
    /// deleted, so the job never runs twice; the row carries the reason.
    public static let fenced = "FENCED"
    /// Operator states that end an application.
    public static let completed = ApplicationState.Kind.completed.rawValue
    public static let failed = ApplicationState.Kind.failed.rawValue
    /// BPG's misspelling of `SUBMISSION_FAILED` (docs/bpg-compatibility.md, "Application monitor"):
    /// treated as terminal so BPG rows stay frozen.
    public static let bpgFailedSubmission = "FAILED_SUBMISSION"

    /// States after which a row never changes status again.
    ///
    /// The one rule for the gateway's records (the monitor, listings and the store all ask here). The
    /// operator itself treats only `COMPLETED` and `FAILED` as terminated
    /// (`ApplicationState.Kind.isTerminal`); the gateway also freezes `SUBMISSION_FAILED` and `FENCED`,
    /// because a row in either state records an attempt the gateway reported as failed to its client
    /// (or replaced by another attempt). One exception, in the store's rules: a `SUBMISSION_FAILED`
    /// the operator reported (an observed version, not finished) may still move on to the operator's
    /// `FAILED` (`SubmissionRecord.isObservedSubmissionFailure`).
    public static let terminal: Set<String> = [completed, failed, submissionFailed, fenced, bpgFailedSubmission]

    /// Whether `state` ends an application.
    public static func isTerminal(_ state: String?) -> Bool {
        guard let state else { return false }
        return terminal.contains(state)
    }
}
