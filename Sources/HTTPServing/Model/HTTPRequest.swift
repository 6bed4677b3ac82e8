import Foundation

/// A complete HTTP request: the body has been read (and bounded by the server's size limit).
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The percent-decoded path, without the query (`/spark/abc/status`).
    public var path: String
    /// Decoded query parameters in the order they appear; `+` decodes to a space.
    public var query: [(name: String, value: String)]
    /// The request header fields.
    public var headers: HTTPHeaders
    /// The request body (empty when there is none, and for a route that streams its body).
    public var body: Data
    /// The body as it arrives, for routes registered with
    /// `HTTPRouterBuilder.add(_:_:streamingBodyUpTo:_:)`; nil for every other route. A test may
    /// set it; otherwise the in-process responder streams `body` to such a route.
    public var bodyStream: HTTPRequestBody?
    /// The client's numeric address, `"127.0.0.1"` or `"::1"`.
    public var peerAddress: String
    /// Filled by the router from the matched pattern: `/spark/{id}` on `/spark/a1` gives `["id": "a1"]`.
    public var pathParameters: [String: String]

    /// Creates a request, mainly for in-process tests of a `HTTPResponder`.
    public init(
        method: HTTPMethod,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: HTTPHeaders = [:],
        body: Data = Data(),
        peerAddress: String = "127.0.0.1"
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyStream = nil
        self.peerAddress = peerAddress
        self.pathParameters = [:]
    }

    /// Creates a request from a request target as sent on the wire (`/spark?limit=5`), decoding the
    /// path and the query. Returns `nil` when the target has invalid percent-encoding.
    public init?(
        method: HTTPMethod,
        target: String,
        headers: HTTPHeaders = [:],
        body: Data = Data(),
        peerAddress: String = "127.0.0.1"
    ) {
        guard let parsed = RequestTarget(target) else { return nil }
        self.init(
            method: method, path: parsed.path, query: parsed.query, headers: headers, body: body,
            peerAddress: peerAddress)
    }

    /// The first value of the query parameter `name`, if present.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Every value of the query parameter `name`, in order.
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }
}
