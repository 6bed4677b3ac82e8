import Foundation
import JSON

/// The body of a response: bytes known up front, or a stream produced incrementally.
public enum HTTPResponseBody: Sendable {
    /// A complete body; the server sends it with `Content-Length`.
    case bytes(Data)
    /// A body written chunk by chunk (chunked transfer encoding on the wire). The response ends
    /// when the closure returns; if it throws, the stream is cut so the client sees an incomplete
    /// body rather than a truncated one that looks whole.
    case stream(@Sendable (HTTPBodyWriter) async throws -> Void)
}

/// A response produced by a handler.
public struct HTTPResponse: Sendable {
    /// The status code, for example `200`.
    public var status: Int
    /// Header fields. `Content-Length`, `Transfer-Encoding`, `Connection` and `Date` are managed by
    /// the server and ignored here.
    public var headers: HTTPHeaders
    /// The body.
    public var body: HTTPResponseBody

    /// Creates a response; the defaults give an empty `200`.
    public init(status: Int = 200, headers: HTTPHeaders = [:], body: HTTPResponseBody = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response encoding `value` (`Content-Type: application/json`).
    ///
    /// ```swift
    /// return try .json(SubmissionResponse(submissionId: id))
    /// ```
    public static func json<T: Encodable>(
        _ value: T, status: Int = 200, encoder: JSONValueEncoder = JSONValueEncoder()
    ) throws -> HTTPResponse {
        json(Data(try encoder.encode(value)), status: status)
    }

    /// A JSON response with already encoded bytes (`Content-Type: application/json`).
    public static func json(_ data: Data, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(data))
    }

    /// A plain-text response (`Content-Type: text/plain; charset=utf-8`).
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .bytes(Data(text.utf8)))
    }

    /// The whole body: the bytes, or everything a stream writes (runs the stream's producer).
    /// Meant for in-process tests of streaming handlers.
    public func collectBody() async throws -> Data {
        switch body {
        case .bytes(let data):
            return data
        case .stream(let produce):
            let collected = CollectedBody()
            try await produce(HTTPBodyWriter { collected.append($0) })
            return collected.data
        }
    }
}
