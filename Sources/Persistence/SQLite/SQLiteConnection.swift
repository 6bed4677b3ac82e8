import Foundation
internal import CSQLite

/// One SQLite connection with its statement cache, used on one `DedicatedThread`. Not `Sendable`.
final class SQLiteConnection: SQLSession {
    let dialect = SQLDialect.sqlite
    private let handle: SQLiteHandle
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String, readOnly: Bool, busyTimeout: Duration) throws(SQLError) {
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        handle = try SQLiteHandle(path: path, flags: flags)
        let milliseconds = Int32(clamping: busyTimeout.microseconds / 1000)
        let result = sqlite3_busy_timeout(handle.pointer, milliseconds)
        guard result == SQLITE_OK else { throw handle.error("sqlite3_busy_timeout", result) }
        if !readOnly {
            // WAL lets readers run beside the one writer; FULL syncs each commit so an accepted
            // submission survives a power cut, not only a crash.
            let mode = try SQLiteStatement(handle, sql: "PRAGMA journal_mode = WAL", persistent: false).query([])
            guard mode.first?.string(0)?.lowercased() == "wal" else {
                throw SQLError(
                    kind: .other, function: "sqlite3_step", code: 0,
                    message: "could not switch \(path) to WAL mode (got \(mode.first?.string(0) ?? "nothing"))")
            }
            try executeOnce("PRAGMA synchronous = FULL")
        }
    }

    private func statement(_ sql: String) throws(SQLError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let prepared = try SQLiteStatement(handle, sql: sql, persistent: true)
        statements[sql] = prepared
        return prepared
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int {
        try statement(sql).execute(parameters)
    }

    func executeOnce(_ sql: String) throws(SQLError) {
        _ = try SQLiteStatement(handle, sql: sql, persistent: false).execute([])
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        try statement(sql).query(parameters)
    }

    func begin() throws(SQLError) { _ = try execute("BEGIN IMMEDIATE", []) }
    func commit() throws(SQLError) { _ = try execute("COMMIT", []) }
    func rollback() {
        if sqlite3_get_autocommit(handle.pointer) == 0 { _ = try? execute("ROLLBACK", []) }
    }

    func currentMicroseconds() throws(SQLError) -> Int64 { StoreTime.microseconds(Date()) }
}
