/// How busy a store's connection pool is, for the gateway's metrics.
public struct StorePoolStatistics: Sendable, Equatable {
    /// Connections the pool may open.
    public var size: Int
    /// Connections running an operation now.
    public var inUse: Int
    /// Operations waiting for a free connection.
    public var waiting: Int

    public init(size: Int, inUse: Int, waiting: Int) {
        self.size = size
        self.inUse = inUse
        self.waiting = waiting
    }
}
