import Foundation

/// What the gateway records about an accepted submission before it creates the `SparkApplication`.
public struct NewSubmission: Sendable, Equatable {
    public var submissionId: String
    public var user: String
    public var appName: String?
    public var sparkVersion: String?
    /// The queue exactly as the client sent it (BPG's `queue` column).
    public var queue: String?
    public var resolvedQueue: String?
    public var clusterId: String?
    public var namespace: String?
    /// A client-chosen key, unique per user, that makes retried submissions return the first one.
    public var idempotencyKey: String?
    /// The request JSON to keep; the caller strips env and masks the queue token first.
    public var requestBody: String?
    /// When the gateway accepted the request; stored truncated to whole seconds.
    public var createdTime: Date

    public init(
        submissionId: String, user: String, appName: String? = nil, sparkVersion: String? = nil,
        queue: String? = nil, resolvedQueue: String? = nil, clusterId: String? = nil, namespace: String? = nil,
        idempotencyKey: String? = nil, requestBody: String? = nil, createdTime: Date = Date()
    ) {
        self.submissionId = submissionId
        self.user = user
        self.appName = appName
        self.sparkVersion = sparkVersion
        self.queue = queue
        self.resolvedQueue = resolvedQueue
        self.clusterId = clusterId
        self.namespace = namespace
        self.idempotencyKey = idempotencyKey
        self.requestBody = requestBody
        self.createdTime = createdTime
    }

    /// Whether an existing row records this same submission (a retried insert), field by field.
    func matches(_ record: SubmissionRecord) -> Bool {
        record.submissionId == submissionId && record.user == user && record.appName == appName
            && record.sparkVersion == sparkVersion && record.queue == queue && record.resolvedQueue == resolvedQueue
            && record.clusterId == clusterId && record.namespace == namespace
            && record.idempotencyKey == idempotencyKey && record.requestBody == requestBody
    }
}

/// The outcome of `SubmissionStore.insertSubmission`.
public enum InsertOutcome: Sendable, Equatable {
    /// The row was written (or an identical row from an earlier attempt was found).
    case inserted(SubmissionRecord)
    /// The user already has a submission with this idempotency key; nothing was written.
    case existingForIdempotencyKey(SubmissionRecord)
}
