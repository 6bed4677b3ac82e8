/// The operator's restart policy (`Never`, `Always`, `OnFailure`) with retry counts and intervals.
public struct RestartPolicy: Codable, Hashable, Sendable {
    public var type: String?
    public var onSubmissionFailureRetries: Int?
    public var onFailureRetries: Int?
    public var onSubmissionFailureRetryInterval: Int64?
    public var onFailureRetryInterval: Int64?

    public init(
        type: String? = nil, onSubmissionFailureRetries: Int? = nil, onFailureRetries: Int? = nil,
        onSubmissionFailureRetryInterval: Int64? = nil, onFailureRetryInterval: Int64? = nil
    ) {
        self.type = type
        self.onSubmissionFailureRetries = onSubmissionFailureRetries
        self.onFailureRetries = onFailureRetries
        self.onSubmissionFailureRetryInterval = onSubmissionFailureRetryInterval
        self.onFailureRetryInterval = onFailureRetryInterval
    }
}
