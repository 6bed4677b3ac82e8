/// Everything ``CurlTransport`` throws. `reason` is short and stable (a metric label); `description`
/// says what failed (libcurl's own message and the failing call), and never contains a request's headers.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable, Equatable {
        /// No answer: connection refused, DNS, TLS, timeout.
        case transport(String)
        /// The answer's body was larger than the caller allowed.
        case tooLarge(Int)
        /// The caller's sink refused more data: the transfer was stopped on purpose.
        case aborted
    }

    let code: Code

    init(_ code: Code) { self.code = code }

    static func transport(_ message: String) -> HTTPClientError { .init(.transport(message)) }

    /// `transport`, `too_large` or `aborted`.
    public var reason: String {
        switch code {
        case .transport: "transport"
        case .tooLarge: "too_large"
        case .aborted: "aborted"
        }
    }

    /// True when no answer arrived (the server is unreachable, TLS failed, or the transfer timed out).
    public var isTransport: Bool { if case .transport = code { true } else { false } }
    /// True when the answer was larger than the caller's limit.
    public var isTooLarge: Bool { if case .tooLarge = code { true } else { false } }
    /// True when the caller stopped the transfer (its sink returned false).
    public var isAborted: Bool { code == .aborted }

    public var description: String {
        switch code {
        case .transport(let message): message
        case .tooLarge(let limit): "answer larger than \(limit) bytes"
        case .aborted: "the reader stopped the transfer"
        }
    }
}
