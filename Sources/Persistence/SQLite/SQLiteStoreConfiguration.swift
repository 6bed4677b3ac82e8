import Logging

/// Settings of the embedded SQLite store.
public struct SQLiteStoreConfiguration: Sendable {
    /// The database file; created with its directory when missing.
    public var path: String
    /// How long a statement waits for another process's lock before failing.
    public var busyTimeout: Duration
    /// Read-only connections (each on its own thread) beside the one writer.
    public var readerCount: Int
    public var logger: Logger

    public init(
        path: String = SQLiteSubmissionStore.defaultPath, busyTimeout: Duration = .seconds(5), readerCount: Int = 2,
        logger: Logger = .disabled
    ) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.readerCount = readerCount
        self.logger = logger
    }
}
