/// A failure of the server itself: starting, or a streamed response whose client is gone.
///
/// `description` is short and stable (usable as a metric label); `detail` says more.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidConfiguration
        case tlsFileUnreadable
        case startFailed
        case alreadyStarted
        case clientDisconnected
        case streamCancelled
    }

    private let code: Code
    /// The field, file or C function concerned and the reason.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// A configuration field has an unusable value.
    public static func invalidConfiguration(_ field: String, _ reason: String) -> HTTPServerError {
        HTTPServerError(.invalidConfiguration, "\(field): \(reason)")
    }

    /// A certificate or key file could not be read.
    public static func tlsFileUnreadable(_ path: String, _ reason: String) -> HTTPServerError {
        HTTPServerError(.tlsFileUnreadable, "\(path): \(reason)")
    }

    /// libmicrohttpd refused to start (port in use, bad certificate, …).
    public static func startFailed(_ function: String, _ reason: String) -> HTTPServerError {
        HTTPServerError(.startFailed, "\(function) failed: \(reason)")
    }

    /// `start()` was called on a server that has already been started.
    public static let alreadyStarted = HTTPServerError(.alreadyStarted, "the server was already started")

    /// The client closed the connection while a streamed body was being written.
    public static let clientDisconnected = HTTPServerError(.clientDisconnected, "the client has gone")

    /// The server cut the stream (shutdown deadline reached) or the request was abandoned.
    public static let streamCancelled = HTTPServerError(.streamCancelled, "the stream was cut by the server")

    public var description: String {
        switch code {
        case .invalidConfiguration: "invalid configuration"
        case .tlsFileUnreadable: "TLS file unreadable"
        case .startFailed: "server start failed"
        case .alreadyStarted: "server already started"
        case .clientDisconnected: "client disconnected"
        case .streamCancelled: "stream cancelled"
        }
    }

    /// Errors are equal when they are of the same kind; `detail` is ignored, so
    /// `error == .clientDisconnected` works whatever the detail says.
    public static func == (lhs: HTTPServerError, rhs: HTTPServerError) -> Bool {
        lhs.code == rhs.code
    }
}
