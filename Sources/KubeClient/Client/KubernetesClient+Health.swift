import Foundation

/// The answer of a health probe.
public struct ClusterHealth: Sendable, Hashable {
    /// `/readyz` or `/version`.
    public var endpoint: String
    /// Round-trip time of the probe.
    public var latency: Duration
}

extension KubernetesClient {
    /// A cheap liveness probe: `GET /readyz`, falling back to `GET /version` when the server does not
    /// serve (or lets us read) `/readyz`. Throws the transport or HTTP failure otherwise.
    public func probeHealth() async throws(KubeError) -> ClusterHealth {
        let start = ContinuousClock.now
        do {
            _ = try await send("GET", "/readyz")
            return ClusterHealth(endpoint: "/readyz", latency: ContinuousClock.now - start)
        } catch where error.code == .notFound || error.code == .forbidden || error.code == .unauthorized {
            let fallbackStart = ContinuousClock.now
            _ = try await send("GET", "/version")
            return ClusterHealth(endpoint: "/version", latency: ContinuousClock.now - fallbackStart)
        }
    }
}
