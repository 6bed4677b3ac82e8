/// A failure the gateway's services report, independent of HTTP: what went wrong (`code`), a message
/// for the caller naming what is at fault, and when to retry. The route layer turns it into a status,
/// BPG's error body and `Retry-After` in one place (`GatewayError+HTTP.swift`); an embedding service
/// calling ``SubmissionService`` directly branches on `code`.
///
/// ```swift
/// do { id = try await gateway.submissions.submit(submission) }
/// catch let error as GatewayError where error.code == .unavailable { retry(after: error.retryAfterSeconds) }
/// ```
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; stable and short enough to be a metric label (`description`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case badRequest = "bad_request"
            case unsupportedMediaType = "unsupported_media_type"
            case notFound = "not_found"
            case forbidden
            case conflict
            case unavailable
            case badGateway = "bad_gateway"
            case clusterRejected = "cluster_rejected"
        }
        fileprivate let base: Base

        /// The request is malformed or asks for something not allowed (400).
        public static let badRequest = Code(base: .badRequest)
        /// The body is in a format the gateway does not read (415).
        public static let unsupportedMediaType = Code(base: .unsupportedMediaType)
        /// Nothing by that name (404).
        public static let notFound = Code(base: .notFound)
        /// The caller may not do this, for example act on another user's submission (403).
        public static let forbidden = Code(base: .forbidden)
        /// The request contradicts an earlier one, such as an `Idempotency-Key` reused for another body (409).
        public static let conflict = Code(base: .conflict)
        /// Nothing was done and a retry later may succeed: no cluster or store could take it, or the
        /// gateway is shutting down (503, with `retryAfterSeconds`).
        public static let unavailable = Code(base: .unavailable)
        /// A cluster failed in a way the caller cannot fix, for example by refusing the gateway's own
        /// credentials (502).
        public static let badGateway = Code(base: .badGateway)
        /// A cluster rejected the request itself (its 4xx is in `clusterStatus`, for example 422).
        public static let clusterRejected = Code(base: .clusterRejected)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// A message for the caller, naming the field, setting or cluster at fault.
    public let message: String
    /// For `.unavailable`: when a retry makes sense.
    public let retryAfterSeconds: Int?
    /// For `.clusterRejected`: the status the cluster answered with.
    public let clusterStatus: Int?

    public init(_ code: Code, _ message: String, retryAfterSeconds: Int? = nil, clusterStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.clusterStatus = clusterStatus
    }

    public var description: String { "\(code): \(message)" }

    static func badRequest(_ message: String) -> GatewayError { GatewayError(.badRequest, message) }
    static func unavailable(_ message: String, retryAfterSeconds: Int = 5) -> GatewayError {
        GatewayError(.unavailable, message, retryAfterSeconds: retryAfterSeconds)
    }
}
