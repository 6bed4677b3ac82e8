/// `metav1.Status`: what the API server sends for every failure (and for some deletes).
public struct Status: Codable, Sendable, Hashable {
    /// One field-level problem in a 422 `Invalid` answer.
    public struct Cause: Codable, Sendable, Hashable {
        /// A machine-readable reason, for example `FieldValueRequired`.
        public var reason: String?
        public var message: String?
        /// The JSON path of the offending field, for example `spec.driver.cores`.
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// Which object the failure is about.
    public struct Details: Codable, Sendable, Hashable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?

        public init(
            name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
            causes: [Cause]? = nil, retryAfterSeconds: Int? = nil
        ) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public var kind: String?
    public var apiVersion: String?
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    public var message: String?
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Expired`, `Gone`, …
    public var reason: String?
    public var details: Details?
    /// The HTTP status code this Status stands for.
    public var code: Int?

    public init(
        status: String? = nil, message: String? = nil, reason: String? = nil, details: Details? = nil,
        code: Int? = nil
    ) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.metadata = nil
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}
