import JSON

/// `spec.restartPolicy` as the real operator reads it, with the defaults its webhook sets (type
/// `Never`; with `OnFailure` or `Always`, both retry intervals 5 seconds when unset).
struct RestartPolicy: Equatable {
    /// `Never`, `OnFailure` or `Always` (the CRD admits nothing else).
    var type: String
    var onFailureRetries: Int?
    var onSubmissionFailureRetries: Int?
    /// Seconds; multiplied by the submission attempts made (a linear backoff).
    var failureRetryInterval: Int
    var submissionRetryInterval: Int

    init(_ application: JSONValue) {
        let policy = application[path: ["spec", "restartPolicy"]]
        type = policy?["type"]?.stringValue ?? "Never"
        onFailureRetries = policy?["onFailureRetries"]?.intValue
        onSubmissionFailureRetries = policy?["onSubmissionFailureRetries"]?.intValue
        failureRetryInterval = max(policy?["onFailureRetryInterval"]?.intValue ?? 5, 1)
        submissionRetryInterval = max(policy?["onSubmissionFailureRetryInterval"]?.intValue ?? 5, 1)
    }

    /// Whether a FAILING application runs again: always with `Always`; with `OnFailure` while the
    /// executions so far do not exceed `onFailureRetries` (unset: never).
    func retriesFailure(afterExecutions executions: Int) -> Bool {
        switch type {
        case "Always": true
        case "OnFailure": onFailureRetries.map { executions <= $0 } ?? false
        default: false
        }
    }

    /// Whether a SUBMISSION_FAILED application is submitted again: always with `Always`; with
    /// `OnFailure` while the submissions so far do not exceed `onSubmissionFailureRetries`.
    func retriesSubmission(afterAttempts attempts: Int) -> Bool {
        switch type {
        case "Always": true
        case "OnFailure": onSubmissionFailureRetries.map { attempts <= $0 } ?? false
        default: false
        }
    }
}
