import Foundation
internal import CMariaDB

/// One MySQL session with its statement cache, used on one pool thread. Not `Sendable`.
final class MySQLConnection: SQLSession {
    let dialect = SQLDialect.mysql
    private let handle: MySQLHandle
    private var statements: [String: MySQLStatement] = [:]
    /// When the connection last did work; a long-idle connection is pinged before reuse.
    private(set) var lastUsed = ContinuousClock.now
    private static let cacheLimit = 256

    init(_ settings: MySQLSettings, selectDatabase: Bool = true) throws(SQLError) {
        handle = try MySQLHandle(settings, database: selectDatabase ? settings.database : nil)
        // TIMESTAMP values in and out as UTC; strict mode turns truncation into an error instead of
        // silently storing less than was given.
        try handle.run("SET time_zone = '+00:00'")
        try handle.run("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES')")
    }

    /// Creates the schema if missing (the name was validated: `[0-9a-zA-Z$_]+`) and selects it.
    func createAndSelect(database: String) throws(SQLError) {
        try handle.run("CREATE DATABASE IF NOT EXISTS `\(database)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        guard mysql_select_db(handle.pointer, database) == 0 else { throw handle.error("mysql_select_db") }
    }

    /// Whether the server still answers (after a long idle period).
    func ping() -> Bool { mysql_ping(handle.pointer) == 0 }

    func touch() { lastUsed = .now }

    private func statement(_ sql: String) throws(SQLError) -> MySQLStatement {
        if let cached = statements[sql] { return cached }
        if statements.count >= Self.cacheLimit { statements.removeAll() }
        let prepared = try MySQLStatement(handle, sql: sql)
        statements[sql] = prepared
        return prepared
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int {
        try statement(sql).run(parameters).affected
    }

    func executeOnce(_ sql: String) throws(SQLError) { try handle.run(sql) }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        try statement(sql).run(parameters).rows
    }

    func begin() throws(SQLError) { try handle.run("START TRANSACTION") }

    func commit() throws(SQLError) {
        guard mysql_commit(handle.pointer) == 0 else { throw handle.error("mysql_commit") }
    }

    func rollback() { _ = mysql_rollback(handle.pointer) }

    func currentMicroseconds() throws(SQLError) -> Int64 {
        // The database's clock, so replicas with skewed clocks agree on lease expiry.
        guard let value = try query("SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)", []).first?.int64(0) else {
            throw SQLError(kind: .other, function: "NOW", code: 0, message: "the server returned no time")
        }
        return value
    }
}
