import HTTPServing

/// Something routes are added to: the plain `HTTPRouterBuilder`, or a ``RouteTable`` that also
/// records and instruments them. `GatewayRoutes.register(into:)` takes either.
protocol RouteRegistrar {
    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler)
}

extension HTTPRouterBuilder: RouteRegistrar {}

/// A route as registered: its method and full pattern (`/skatev2/spark/{id}/status`).
struct RegisteredRoute: Hashable, Sendable, CustomStringConvertible {
    var method: HTTPMethod
    var pattern: String
    var description: String { "\(method) \(pattern)" }
}

/// Builds the gateway's router while keeping the list of routes (the OpenAPI test checks the
/// document against it) and wrapping every handler with the request metrics of its pattern.
struct RouteTable: RouteRegistrar {
    private var builder = HTTPRouterBuilder()
    /// Every route added, in order.
    private(set) var routes: [RegisteredRoute] = []
    let metrics: GatewayMetrics?

    init(metrics: GatewayMetrics?) {
        self.metrics = metrics
    }

    mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.append(RegisteredRoute(method: method, pattern: pattern))
        let tagged = RequestID.tagging(handler)
        builder.add(method, pattern, metrics?.instrument(route: pattern, method: method, tagged) ?? tagged)
    }

    /// The immutable responder the server runs.
    func build() -> HTTPResponder {
        builder.build()
    }
}
