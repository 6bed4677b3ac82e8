import GatewayCore

/// One cluster as `GET <root>/admin/clusters` shows it.
struct ClusterHealthDetail: Codable, Hashable, Sendable {
    /// Backlog counts from the application monitor.
    struct Backlog: Codable, Hashable, Sendable {
        var pending: Int
        var running: Int
    }

    var id: String
    var weight: Int
    /// `unknown`, `up`, `degraded` or `down` (what routing sees when `gateway.health.enabled`); a
    /// `ClusterHealth` raw value, kept as text so the report decodes whatever a newer gateway sends.
    var health: String
    /// The circuit breaker: `closed`, `open` or `halfOpen` (a `CircuitBreaker.State` raw value).
    var state: String
    var consecutiveFailures: Int
    /// The last failure (credential-free: cluster, code, HTTP status, server message).
    var lastError: String?
    /// Round trip of the last probe or create, in milliseconds.
    var latencyMs: Int?
    /// Nil when no monitor reports load for the cluster.
    var backlog: Backlog?
}

/// The body of `GET <root>/admin/clusters`.
struct ClusterHealthReport: Codable, Hashable, Sendable {
    /// Whether routing skips `down` clusters (`gateway.health.enabled`).
    var healthChecking: Bool
    /// Submissions moved to another cluster after a retriable failure, since start.
    var failovers: Int
    var clusters: [ClusterHealthDetail]
}
