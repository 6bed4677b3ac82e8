/// How long each step of the simulated Spark operator takes. Tests use a few milliseconds; dev mode
/// and benchmarks can use realistic seconds.
public struct SimulatedOperatorTimings: Sendable, Hashable {
    /// Created → SUBMITTED (spark-submit ran; the driver pod exists, Pending).
    public var submission: Duration
    /// SUBMITTED → RUNNING once the cluster has room (the driver pod was scheduled and started).
    public var start: Duration
    /// RUNNING → COMPLETED or FAILED (how long the SparkPi job runs).
    public var run: Duration
    /// How long one second of `spec.restartPolicy`'s retry intervals lasts (`onFailureRetryInterval`,
    /// `onSubmissionFailureRetryInterval`): a real second by default; tests shrink it.
    public var retryIntervalUnit: Duration

    /// Timings per step; the defaults are 200 ms each, and retry intervals in real seconds.
    public init(
        submission: Duration = .milliseconds(200), start: Duration = .milliseconds(200), run: Duration = .milliseconds(200),
        retryIntervalUnit: Duration = .seconds(1)
    ) {
        self.submission = submission
        self.start = start
        self.run = run
        self.retryIntervalUnit = retryIntervalUnit
    }

    /// Every step takes `step`, and so does one second of a retry interval.
    public static func uniform(_ step: Duration) -> SimulatedOperatorTimings {
        SimulatedOperatorTimings(submission: step, start: step, run: step, retryIntervalUnit: step)
    }
}

/// How a simulated application ends.
public enum SimulatedOutcome: String, Sendable, Hashable, CaseIterable {
    /// SUBMITTED → RUNNING → SUCCEEDING → COMPLETED; the driver log ends with "Pi is roughly 3.14…".
    case completed
    /// SUBMITTED → RUNNING → FAILING → FAILED; the driver exits 1 with an exception in its log.
    case failed
    /// SUBMISSION_FAILED (spark-submit failed, no driver pod) → FAILED, as the operator does with no retries left.
    case submissionFailed

    /// The annotation that picks the outcome per application (values: the raw values above, or a
    /// comma-separated list of them, one per submission attempt, the last repeating), for clients
    /// that cannot call `SimulatedCluster.setOutcome` (dev mode, other processes).
    public static let annotation = "kubesimulator.bpg.dev/outcome"
}
