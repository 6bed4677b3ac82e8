import Foundation

/// Everything the object storage client throws. `reason` is short and stable (a metric label);
/// `description` says what failed in words a user can act on, and never contains a secret: S3 error
/// bodies contribute only their `Code`, `Message` and `RequestId`.
public struct ObjectStorageError: Error, Sendable, CustomStringConvertible {
    enum Code: Sendable, Equatable {
        /// S3 (or STS) answered with an error status.
        case service(status: Int, code: String, message: String, requestId: String?)
        /// No answer: connection refused, DNS, TLS, timeout.
        case transport(String)
        /// No usable credentials, or a credentials source failed.
        case credentials(String)
        /// The caller passed something S3 cannot take (empty bucket, too large an object).
        case invalidArgument(String)
        /// The upload was abandoned (source failed, cancelled); any multipart upload was aborted.
        case aborted(String)
        /// S3 answered with something unexpected (missing UploadId).
        case protocolViolation(String)
    }

    let code: Code

    init(_ code: Code) { self.code = code }

    static func credentials(_ message: String) -> ObjectStorageError { .init(.credentials(message)) }
    /// For credentials providers written outside this module.
    public static func missingCredentials(_ message: String) -> ObjectStorageError { .init(.credentials(message)) }
    static func transport(_ message: String) -> ObjectStorageError { .init(.transport(message)) }
    static func invalidArgument(_ message: String) -> ObjectStorageError { .init(.invalidArgument(message)) }
    static func protocolViolation(_ message: String) -> ObjectStorageError { .init(.protocolViolation(message)) }

    /// A short, stable label: `NoSuchKey`, `AccessDenied`, … for S3 errors; `transport`,
    /// `credentials`, `invalid_argument`, `aborted`, `protocol` otherwise.
    public var reason: String {
        switch code {
        case .service(_, let code, _, _): code
        case .transport: "transport"
        case .credentials: "credentials"
        case .invalidArgument: "invalid_argument"
        case .aborted: "aborted"
        case .protocolViolation: "protocol"
        }
    }

    /// The HTTP status S3 answered with, for service errors.
    public var status: Int? {
        if case .service(let status, _, _, _) = code { return status }
        return nil
    }

    /// True for "the object is not there" (404 / `NoSuchKey`).
    public var isNotFound: Bool { status == 404 }

    /// True when the credentials were refused (wrong key id, wrong secret, expired token).
    public var isAuthenticationFailure: Bool {
        ["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "InvalidClientTokenId",
         "AuthFailure"].contains(reason)
    }

    /// True when a later retry may succeed (no answer, throttling, 5xx).
    public var isTransient: Bool {
        switch code {
        case .transport: true
        case .service(let status, _, _, _): status >= 500 || status == 429 || reason == "SlowDown"
        default: false
        }
    }

    public var description: String {
        switch code {
        case .service(let status, let code, let message, let requestId):
            let hint =
                isAuthenticationFailure ? " (the credentials were refused: check the access key id and secret)" : ""
            return "S3 error \(status) \(code): \(message)\(hint)" + (requestId.map { " [request id \($0)]" } ?? "")
        case .transport(let message): return "S3 unreachable: \(message)"
        case .credentials(let message): return "no usable AWS credentials: \(message)"
        case .invalidArgument(let message): return "invalid S3 request: \(message)"
        case .aborted(let message): return "S3 upload aborted: \(message)"
        case .protocolViolation(let message): return "unexpected S3 answer: \(message)"
        }
    }

    /// Builds the error for a non-2xx answer from its XML body (S3 and STS both use `Code`/`Message`).
    static func fromResponse(status: Int, body: Data) -> ObjectStorageError {
        let xml = String(decoding: body.prefix(64 << 10), as: UTF8.self)
        let code = XMLText.first("Code", in: xml) ?? Self.defaultCode(status)
        let message = XMLText.first("Message", in: xml) ?? "HTTP \(status)"
        return .init(.service(status: status, code: code, message: message, requestId: XMLText.first("RequestId", in: xml)))
    }

    private static func defaultCode(_ status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 400: "BadRequest"
        case 403: "AccessDenied"
        case 404: "NotFound"
        case 409: "Conflict"
        case 412: "PreconditionFailed"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }
}

/// The text of simple XML elements. S3's and STS's answers are flat enough that a full parser (and
/// libxml2 through FoundationXML) is not needed: only element text is read, never attributes.
enum XMLText {
    /// The unescaped text of the first `<name>` element, or nil.
    static func first(_ name: String, in xml: String) -> String? {
        all(name, in: xml).first
    }

    /// The unescaped text of every `<name>` element, in order.
    static func all(_ name: String, in xml: String) -> [String] {
        var results: [String] = []
        var rest = xml[...]
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            results.append(unescape(String(rest[start.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return results
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#34;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
