/// Everything the gateway client throws, with the `bpg` exit status it maps to. `description` is one
/// line a user can act on: the server's own message when it sent one, never a credential.
public struct GatewayClientError: Error, Sendable, CustomStringConvertible, Equatable {
    enum Code: Sendable, Equatable {
        /// The server answered with an error status and (usually) a message.
        case http(status: Int, message: String)
        /// No answer: connection refused, DNS, TLS, timeout.
        case unreachable(String)
        /// The caller's input cannot be used (an unreadable file, a missing setting).
        case input(String)
        /// The server answered 2xx with something this client cannot read.
        case unexpectedAnswer(String)
    }

    let code: Code

    init(_ code: Code) { self.code = code }

    static func input(_ message: String) -> GatewayClientError { .init(.input(message)) }
    static func unreachable(_ message: String) -> GatewayClientError { .init(.unreachable(message)) }
    static func unexpected(_ message: String) -> GatewayClientError { .init(.unexpectedAnswer(message)) }

    /// The HTTP status the server answered with, for server errors.
    public var status: Int? {
        if case .http(let status, _) = code { return status }
        return nil
    }

    /// `http_<status>`, `unreachable`, `input` or `unexpected_answer`: short and stable.
    public var reason: String {
        switch code {
        case .http(let status, _): "http_\(status)"
        case .unreachable: "unreachable"
        case .input: "input"
        case .unexpectedAnswer: "unexpected_answer"
        }
    }

    /// The `bpg` exit status for this failure (docs/cli.md, "Exit status").
    public var exitStatus: ExitStatus {
        switch code {
        case .http(let status, _) where status == 401 || status == 403: .authentication
        case .http(let status, _) where status >= 500: .unreachable
        case .http: .badRequest
        case .unreachable, .unexpectedAnswer: .unreachable
        case .input: .badRequest
        }
    }

    public var description: String {
        switch code {
        case .http(let status, let message):
            let hint = status == 401 ? " (check the user and password: --user, BPG_USER/BPG_PASSWORD or the context)" : ""
            if message.isEmpty { return "the gateway answered HTTP \(status)\(hint)" }
            return (message.contains("HTTP \(status)") ? message : "\(message) (HTTP \(status))") + hint
        case .unreachable(let message): return "cannot reach the gateway: \(message)"
        case .input(let message): return message
        case .unexpectedAnswer(let message): return "unexpected answer from the gateway: \(message)"
        }
    }
}

/// How `bpg`'s client commands end: the process exit status, documented in docs/cli.md.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The command succeeded; with `--wait`, the job COMPLETED.
    case success = 0
    /// With `--wait` (or `status --wait`): the job ended FAILED, SUBMISSION_FAILED or was deleted.
    case jobFailed = 1
    /// The command line is wrong: unknown flag, missing argument.
    case usage = 2
    /// The input cannot be used: an unreadable file, or the gateway refused the request (4xx).
    case badRequest = 3
    /// The gateway cannot be reached, or failed (5xx).
    case unreachable = 4
    /// The gateway refused the credentials (401) or the caller may not do this (403).
    case authentication = 5
}
