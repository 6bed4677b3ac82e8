import Foundation
import JSON

/// An error that knows the HTTP response it should become. Handlers throw it and the responder
/// sends `response()`; any other error becomes a bare 500 whose detail is logged, never sent.
public protocol HTTPResponseError: Error {
    /// The response to send for this error.
    func response() -> HTTPResponse
}

/// A ready-made `HTTPResponseError` with BPG's error body `{"code": <status>, "message": "<message>"}`.
///
/// ```swift
/// throw HTTPError(404, "submission \(id) not found")
/// ```
public struct HTTPError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The status code, also sent as `code` in the body.
    public var status: Int
    /// A message for the client; never put secrets or internal details here.
    public var message: String
    /// Extra headers, for example `Allow` on a 405 or `WWW-Authenticate` on a 401.
    public var headers: HTTPHeaders

    public init(_ status: Int, _ message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public func response() -> HTTPResponse {
        var response = HTTPResponse.json(Self.body(status: status, message: message), status: status)
        for (name, value) in headers {
            response.headers.add(name, value)
        }
        return response
    }

    public var description: String { "HTTP \(status): \(message)" }

    /// `{"code":<status>,"message":"<message>"}` with the message JSON-escaped.
    static func body(status: Int, message: String) -> Data {
        struct Body: Encodable {
            var code: Int
            var message: String
        }
        let encoder = JSONValueEncoder(format: .init(sortedKeys: true))
        // Encoding an Int and a String cannot fail; the fallback keeps this total anyway.
        return (try? encoder.encode(Body(code: status, message: message))).map { Data($0) }
            ?? Data(#"{"code":\#(status),"message":"error"}"#.utf8)
    }
}
