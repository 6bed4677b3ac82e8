/// Livy's batch states, from the Spark operator's application states and the gateway's record states.
///
/// | operator / record state | Livy |
/// |---|---|
/// | none yet, `SUBMITTED`, `PENDING_RERUN`, `INVALIDATING`, `RESUMING`, `UNKNOWN`; records `ACCEPTED`, `CREATED`, `OUTCOME_UNKNOWN` | `starting` |
/// | `SUSPENDING`, `SUSPENDED` | `not_started` |
/// | `RUNNING`, `SUCCEEDING`, `FAILING` | `running` |
/// | `COMPLETED` | `success` |
/// | `FAILED`, `SUBMISSION_FAILED`; records `FENCED`, `FAILED_SUBMISSION` | `dead` |
/// | deleted before it finished (record `DELETED`) | `killed` |
///
/// `FAILING` stays `running` as Livy's batch stays `running` until spark-submit exits; Airflow's and
/// the Livy clients' terminal set is `success`, `dead`, `killed`, `error`.
public enum LivyBatchState {
    public static let notStarted = "not_started"
    public static let starting = "starting"
    public static let running = "running"
    public static let success = "success"
    public static let dead = "dead"
    public static let killed = "killed"

    /// The record state the application monitor writes when it sees an application deleted.
    public static let deletedRecordState = "DELETED"

    /// Livy's state for an operator or record state (`nil`: nothing observed yet).
    public static func from(_ state: String?) -> String {
        switch state ?? "" {
        case "RUNNING", "SUCCEEDING", "FAILING": running
        case "COMPLETED": success
        case "FAILED", "SUBMISSION_FAILED", "FENCED", "FAILED_SUBMISSION": dead
        case deletedRecordState: killed
        case "SUSPENDING", "SUSPENDED": notStarted
        default: starting
        }
    }

    /// Whether Livy clients stop polling at this state.
    public static func isFinal(_ livyState: String) -> Bool {
        [success, dead, killed, "error"].contains(livyState)
    }
}
