import Foundation
import HTTPServing

/// `GET /metrics` at the server root (not under the context path), unauthenticated like BPG's admin
/// port: it carries no user names, but operators should keep it off public ingresses (docs/metrics.md).
struct MetricsEndpoint: Sendable {
    static let path = "/metrics"
    let metrics: GatewayMetrics

    func register(into router: inout some RouteRegistrar) {
        router.add(.get, Self.path) { [metrics] _ in
            HTTPResponse(
                status: 200, headers: ["Content-Type": PrometheusText.contentType], body: .bytes(Data(metrics.render().utf8)))
        }
    }
}
