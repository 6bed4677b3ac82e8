/// A cluster's health as the gateway's prober last saw it.
public enum ClusterHealth: String, Hashable, Sendable, Codable {
    /// Never probed (health checking off, or just started): treated as up.
    case unknown
    case up
    /// Reachable but failing some requests; still routed to.
    case degraded
    /// Unreachable or failing: skipped by ``HealthAwarePolicy``.
    case down
}
