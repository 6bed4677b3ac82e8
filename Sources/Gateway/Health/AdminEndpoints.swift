import Foundation
import HTTPServing
import JSON

/// BPG's admin port (Dropwizard's admin connector, `server.adminConnectors`, default 8081), which
/// BPG's Helm chart probes for liveness: `GET /healthcheck` (Dropwizard's health-check JSON), `GET /ping`
/// (`pong`) and `GET /metrics` (Dropwizard's metrics JSON). Unauthenticated, as in BPG: keep the port
/// off public ingresses. The Prometheus `/metrics` stays on the API port.
struct AdminEndpoints: Sendable {
    /// Named health checks, run at each `/healthcheck`.
    let checks: [(name: String, check: @Sendable () -> HealthCheckResult)]
    let metrics: GatewayMetrics
    var now: @Sendable () -> Date = { Date() }

    /// One check's result, as Dropwizard reports it.
    struct HealthCheckResult: Sendable {
        var healthy: Bool
        var message: String?
    }

    /// BPG's two checks: `deadlocks` (the JVM's; here always healthy: Swift's structured concurrency
    /// has no thread-monitor deadlock detector to consult) and `sparkClusters` (unhealthy when no cluster
    /// is configured, BPG's only condition).
    init(clusterCount: Int, metrics: GatewayMetrics) {
        self.metrics = metrics
        self.checks = [
            ("deadlocks", { HealthCheckResult(healthy: true, message: nil) }),
            ("sparkClusters", {
                clusterCount == 0
                    ? HealthCheckResult(healthy: false, message: "sparkClusters is empty")
                    : HealthCheckResult(healthy: true, message: nil)
            }),
        ]
    }

    static let noCache = "must-revalidate,no-cache,no-store"

    func register(into router: inout some RouteRegistrar) {
        router.add(.get, "/healthcheck") { [self] _ in healthcheck() }
        router.add(.get, "/ping") { _ in
            HTTPResponse(
                status: 200, headers: ["Content-Type": "text/plain;charset=utf-8", "Cache-Control": Self.noCache],
                body: .bytes(Data("pong\n".utf8)))
        }
        router.add(.get, "/metrics") { [metrics] _ in
            HTTPResponse(
                status: 200, headers: ["Content-Type": "application/json", "Cache-Control": Self.noCache],
                body: .bytes(Data(DropwizardMetricsJSON.render(prometheus: metrics.render()))))
        }
    }

    /// Dropwizard's shape: one member per check, `{"healthy", "message"?, "duration", "timestamp"}`;
    /// 200 when every check is healthy, 500 otherwise.
    func healthcheck() -> HTTPResponse {
        var results: [String: JSONValue] = [:]
        var allHealthy = true
        for (name, check) in checks {
            let start = ContinuousClock.now
            let result = check()
            let elapsed = ContinuousClock.now - start
            allHealthy = allHealthy && result.healthy
            var member: [String: JSONValue] = [
                "healthy": .bool(result.healthy),
                "duration": .number(JSONNumber(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)),
                "timestamp": .string(Self.timestamp(now())),
            ]
            if let message = result.message { member["message"] = .string(message) }
            results[name] = .object(JSONObject(member))
        }
        return HTTPResponse(
            status: allHealthy ? 200 : 500,
            headers: ["Content-Type": "application/json", "Cache-Control": Self.noCache],
            body: .bytes(Data(JSONValue.object(JSONObject(results)).jsonBytes(JSONFormat(sortedKeys: true)))))
    }

    /// Dropwizard's timestamp: ISO 8601 with milliseconds and the zone offset.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
