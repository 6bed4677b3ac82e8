/// A synchronous database connection used on the one thread that owns it.
///
/// The store logic (`SubmissionOperations`) is written once against this protocol; MySQL and SQLite
/// connections implement it, each with its own statement cache.
protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns the number of rows it matched.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int
    /// Runs a statement once without keeping it in the statement cache (DDL, session setup).
    func executeOnce(_ sql: String) throws(SQLError)
    /// Runs a query and returns its rows.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow]
    /// Starts a write transaction (`BEGIN IMMEDIATE` in SQLite, so the writer lock is taken at once).
    func begin() throws(SQLError)
    func commit() throws(SQLError)
    func rollback()
    /// The clock leases are measured by, in microseconds since 1970.
    func currentMicroseconds() throws(SQLError) -> Int64
}

extension SQLSession {
    /// Runs `body` in a transaction, rolling back on any error.
    func transaction<T>(_ body: () throws(SQLError) -> T) throws(SQLError) -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            rollback()
            throw error
        }
    }
}
