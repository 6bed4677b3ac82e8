/// Everything a ``RoutingPolicy`` may look at: the eligible clusters and a snapshot of their state.
public struct RoutingInput: Sendable {
    /// Clusters that passed the pinning, version and queue filters, in configuration order.
    public var clusters: [SparkClusterConfiguration]
    /// True when the request pinned a cluster with `clusterId` (weights are then ignored).
    public var pinned: Bool
    /// Health by cluster id; missing means ``ClusterHealth/unknown``.
    public var health: [String: ClusterHealth]
    /// Backlog by cluster id; missing means no information.
    public var load: [String: ClusterLoad]

    public init(
        clusters: [SparkClusterConfiguration], pinned: Bool = false, health: [String: ClusterHealth] = [:],
        load: [String: ClusterLoad] = [:]
    ) {
        self.clusters = clusters
        self.pinned = pinned
        self.health = health
        self.load = load
    }
}

/// The live state routing decisions may use, supplied by the server for each submission.
public struct RoutingSnapshot: Sendable {
    /// Health by cluster id.
    public var health: [String: ClusterHealth]
    /// Backlog by cluster id.
    public var load: [String: ClusterLoad]

    public init(health: [String: ClusterHealth] = [:], load: [String: ClusterLoad] = [:]) {
        self.health = health
        self.load = load
    }
}
