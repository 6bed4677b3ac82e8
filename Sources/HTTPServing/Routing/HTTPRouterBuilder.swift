/// Handles one request. Throw `HTTPError` (or any `HTTPResponseError`) for error responses.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// Collects routes, then freezes them into an immutable `HTTPResponder` shared by all requests.
///
/// ```swift
/// var router = HTTPRouterBuilder()
/// router.add(.get, "/spark/{id}/status") { request in
///     try .json(store.status(of: request.pathParameters["id"] ?? ""))
/// }
/// router.add(.get, "/logs/{path...}") { request in .text(request.pathParameters["path"] ?? "") }
/// let responder = router.build()
/// ```
public struct HTTPRouterBuilder {
    struct Route: Sendable {
        var method: HTTPMethod
        var pattern: RoutePattern
        var handler: HTTPHandler
        /// Set for a route that streams its request body: the body's size limit.
        var streamLimit: Int? = nil
    }

    private var routes: [Route] = []

    /// Called when no pattern matches the path. The default answers 404 with a JSON error body.
    public var notFound: HTTPHandler = { request in
        throw HTTPError(404, "no route for \(request.method) \(request.path)")
    }

    /// Called when patterns match the path but none for this method, with the methods that do
    /// match. `nil` (the default) answers 405 with an `Allow` header and a JSON error body.
    public var methodNotAllowed: (@Sendable (HTTPRequest, [HTTPMethod]) async throws -> HTTPResponse)?

    public init() {}

    /// Registers `handler` for `method` on `pattern`.
    ///
    /// Patterns are literal segments and `{name}` parameters (`/spark/{id}/status`); a final
    /// `{name...}` matches the rest of the path, slashes included, possibly empty. When several
    /// patterns match, the most specific wins (a literal beats a parameter at the first segment
    /// where they differ). A `HEAD` request without its own route runs the `GET` route and the
    /// server sends only the headers.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler))
    }

    /// Registers `handler` for a route that receives its request body while it arrives, as
    /// `request.bodyStream`, instead of whole in `request.body`; the body may be up to `limit`
    /// bytes (the server's `maxBodyBytes` does not apply). The handler runs as soon as the headers
    /// are in. A response it gives before the body's end is sent once the body has been read
    /// (the rest is dropped; a client sending more than a few MiB after that is disconnected).
    public mutating func add(
        _ method: HTTPMethod, _ pattern: String, streamingBodyUpTo limit: Int, _ handler: @escaping HTTPHandler
    ) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), handler: handler, streamLimit: max(0, limit)))
    }

    /// Freezes the routes into a responder. Later changes to the builder do not affect it.
    public func build() -> HTTPResponder {
        HTTPResponder(routes: routes, notFound: notFound, methodNotAllowed: methodNotAllowed)
    }
}
