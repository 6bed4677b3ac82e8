import Logging

/// Settings of the MySQL store beyond the connection itself.
public struct MySQLStoreConfiguration: Sendable {
    public var settings: MySQLSettings
    /// Connections (each on its own thread) the pool holds at most.
    public var poolSize: Int
    /// How long an operation keeps retrying after losing its connection (a server restart or a
    /// failover) before it gives up.
    public var retryWindow: Duration
    /// A connection idle longer than this is pinged before use.
    public var validationInterval: Duration
    /// Whether `open` creates the database when it is missing.
    public var createDatabase: Bool
    public var logger: Logger

    public init(
        settings: MySQLSettings, poolSize: Int = 8, retryWindow: Duration = .seconds(30),
        validationInterval: Duration = .seconds(30), createDatabase: Bool = true, logger: Logger = .disabled
    ) {
        self.settings = settings
        self.poolSize = poolSize
        self.retryWindow = retryWindow
        self.validationInterval = validationInterval
        self.createDatabase = createDatabase
        self.logger = logger
    }
}
