/// A failure the gateway reports to the client: an HTTP status, a message naming the offending field,
/// and a stable short ``reason`` usable as a metric label.
///
/// Core has no HTTP dependency: the server turns ``status`` and ``message`` into BPG's error body
/// `{"code": <status>, "message": "..."}` (see ``ErrorResponse``).
public struct SubmissionError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Hashable, Sendable {
        case invalidRequest = "invalid_request"
        case queueTokenRejected = "queue_token_rejected"
        case noCluster = "no_cluster"
        case invalidSubmissionId = "invalid_submission_id"
        case notFound = "not_found"
        case serverMisconfigured = "server_misconfigured"
    }

    private let code: Code
    /// The HTTP status the server should answer with (400, 404 or 500).
    public let status: Int
    /// A human-readable message naming the field or setting at fault.
    public let message: String

    private init(_ code: Code, status: Int, _ message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    /// A stable short label, e.g. `invalid_request`.
    public var reason: String { code.rawValue }
    public var description: String { "\(code.rawValue): \(message)" }

    /// 400: the request is malformed or asks for something not allowed.
    public static func badRequest(_ message: String) -> SubmissionError { .init(.invalidRequest, status: 400, message) }
    /// 400: the queue token is missing, invalid or does not cover the queue.
    public static func queueTokenRejected(_ message: String) -> SubmissionError {
        .init(.queueTokenRejected, status: 400, message)
    }
    /// 400: no configured cluster can take the request (version, queue or pinned id).
    public static func noCluster(_ message: String) -> SubmissionError { .init(.noCluster, status: 400, message) }
    /// 400: a submission id that does not resolve to a configured cluster.
    public static func invalidSubmissionId(_ message: String) -> SubmissionError {
        .init(.invalidSubmissionId, status: 400, message)
    }
    /// 404: the submission does not exist.
    public static func notFound(_ message: String = "HTTP 404 Not Found") -> SubmissionError {
        .init(.notFound, status: 404, message)
    }
    /// 500: the gateway's own configuration cannot serve the request (e.g. no queue-token secrets).
    public static func serverMisconfigured(_ message: String) -> SubmissionError {
        .init(.serverMisconfigured, status: 500, message)
    }
}
