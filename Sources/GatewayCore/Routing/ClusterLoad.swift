/// A cluster's current backlog, as the monitor counts the gateway's own applications on it.
public struct ClusterLoad: Hashable, Sendable {
    /// Applications created but not yet running (new, submitted, pending rerun).
    public var pending: Int
    /// Applications running.
    public var running: Int
    /// How many concurrent applications the cluster can take, if known.
    public var capacity: Int?

    public init(pending: Int = 0, running: Int = 0, capacity: Int? = nil) {
        self.pending = pending
        self.running = running
        self.capacity = capacity
    }
}
