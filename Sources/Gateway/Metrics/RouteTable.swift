import HTTPServing

/// Something routes are added to: the plain `HTTPRouterBuilder` of an embedding service's own
/// server, or a ``RouteTable`` that also records them. `GatewayService.register(into:prefix:)` takes
/// either.
public protocol RouteRegistrar {
    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler)
    /// Registers a route that reads its body as it arrives (`HTTPRequest.bodyStream`), up to `limit` bytes.
    mutating func add(_ method: HTTPMethod, _ pattern: String, streamingBodyUpTo limit: Int, _ handler: @escaping HTTPHandler)
}

extension RouteRegistrar {
    /// A registrar that cannot stream gets a buffered route; the in-process responder then still
    /// hands the handler a `bodyStream` (over the buffered body).
    mutating func add(_ method: HTTPMethod, _ pattern: String, streamingBodyUpTo limit: Int, _ handler: @escaping HTTPHandler) {
        add(method, pattern, handler)
    }
}

/// Mounts routes into another registrar under a prefix, each handler tagged with its request id and
/// wrapped with the request metrics of its pattern.
struct MountedRoutes<Target: RouteRegistrar>: RouteRegistrar {
    var target: Target
    let prefix: String
    let metrics: GatewayMetrics?

    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let full = prefix + pattern
        let tagged = RequestID.tagging(handler)
        target.add(method, full, metrics?.instrument(route: full, method: method, tagged) ?? tagged)
    }

    mutating func add(_ method: HTTPMethod, _ pattern: String, streamingBodyUpTo limit: Int, _ handler: @escaping HTTPHandler) {
        let full = prefix + pattern
        let tagged = RequestID.tagging(handler)
        target.add(method, full, streamingBodyUpTo: limit, metrics?.instrument(route: full, method: method, tagged) ?? tagged)
    }
}

extension HTTPRouterBuilder: RouteRegistrar {}

/// A route as registered: its method and full pattern (`/skatev2/spark/{id}/status`).
struct RegisteredRoute: Hashable, Sendable, CustomStringConvertible {
    var method: HTTPMethod
    var pattern: String
    var description: String { "\(method) \(pattern)" }
}

/// Builds the bundled server's router while keeping the list of routes (the OpenAPI test checks the
/// document against it).
struct RouteTable: RouteRegistrar {
    private var builder = HTTPRouterBuilder()
    /// Every route added, in order.
    private(set) var routes: [RegisteredRoute] = []

    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(RegisteredRoute(method: method, pattern: pattern))
        builder.add(method, pattern, handler)
    }

    mutating func add(_ method: HTTPMethod, _ pattern: String, streamingBodyUpTo limit: Int, _ handler: @escaping HTTPHandler) {
        routes.append(RegisteredRoute(method: method, pattern: pattern))
        builder.add(method, pattern, streamingBodyUpTo: limit, handler)
    }

    /// The immutable responder the server runs.
    func build() -> HTTPResponder {
        builder.build()
    }
}
