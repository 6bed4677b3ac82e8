import Foundation
import Logging

/// Applies the missing migrations under a database-wide lock, so replicas that start together take
/// turns: MySQL `GET_LOCK` (held by the connection), SQLite `BEGIN IMMEDIATE` (the write lock).
enum Migrator {
    static let lockTimeoutSeconds: Int64 = 120

    /// Returns the versions it applied (empty when the schema was current).
    static func migrate(_ session: any SQLSession, _ migrations: [Migration], lockName: String, logger: Logger)
        throws(SQLError) -> [Int]
    {
        switch session.dialect.kind {
        case .mysql:
            let locked = try session.query("SELECT GET_LOCK(?, ?)", [.text(lockName), .integer(lockTimeoutSeconds)])
            guard locked.first?.int64(0) == 1 else {
                throw SQLError(
                    kind: .other, function: "GET_LOCK", code: 0,
                    message: "another replica held the migration lock \(lockName) for \(lockTimeoutSeconds) s")
            }
            defer { _ = try? session.query("SELECT RELEASE_LOCK(?)", [.text(lockName)]) }
            return try apply(session, migrations, logger: logger)
        case .sqlite:
            return try session.transaction { () throws(SQLError) in try apply(session, migrations, logger: logger) }
        }
    }

    private static func apply(_ session: any SQLSession, _ migrations: [Migration], logger: Logger) throws(SQLError)
        -> [Int]
    {
        try session.executeOnce(
            session.dialect.kind == .mysql
                ? """
                CREATE TABLE IF NOT EXISTS bpg_schema_migrations (version INT NOT NULL PRIMARY KEY, \
                name VARCHAR(255) NOT NULL, applied_time DATETIME(6) NOT NULL) DEFAULT CHARSET = utf8mb4
                """
                : """
                CREATE TABLE IF NOT EXISTS bpg_schema_migrations (version INTEGER NOT NULL PRIMARY KEY, \
                name TEXT NOT NULL, applied_time TEXT NOT NULL)
                """)
        let applied = Set(try session.query("SELECT version FROM bpg_schema_migrations", []).compactMap { $0.int(0) })
        var done: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            logger.debug("applying schema migration", metadata: ["version": "\(migration.version)", "name": migration.name])
            for step in migration.steps { try run(step, session) }
            try session.execute(
                "INSERT INTO bpg_schema_migrations (version, name, applied_time) VALUES (?, ?, ?)",
                [.integer(Int64(migration.version)), .text(migration.name), .text(StoreTime.micros(Date()))])
            done.append(migration.version)
        }
        return done
    }

    private static func count(_ session: any SQLSession, _ sql: String, _ parameters: [SQLValue]) throws(SQLError) -> Int64 {
        try session.query(sql, parameters).first?.int64(0) ?? 0
    }

    private static func run(_ step: MigrationStep, _ session: any SQLSession) throws(SQLError) {
        let mysql = session.dialect.kind == .mysql
        switch step {
        case .statement(let sql):
            try session.executeOnce(sql)
        case .addColumn(let table, let column, let sql):
            let exists =
                mysql
                ? try count(
                    session,
                    "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                        + "AND TABLE_NAME = ? AND COLUMN_NAME = ?", [.text(table), .text(column)])
                : try count(session, "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?", [.text(table), .text(column)])
            if exists == 0 { try session.executeOnce(sql) }
        case .addIndex(let table, let index, let sql):
            let exists =
                mysql
                ? try count(
                    session,
                    "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                        + "AND TABLE_NAME = ? AND INDEX_NAME = ?", [.text(table), .text(index)])
                : try count(
                    session, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?",
                    [.text(table), .text(index)])
            if exists == 0 { try session.executeOnce(sql) }
        case .changeColumnType(let table, let column, let dataType, let sql):
            guard mysql else { return }
            let current = try session.query(
                "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                    + "AND TABLE_NAME = ? AND COLUMN_NAME = ?", [.text(table), .text(column)]
            ).first?.string(0)
            if current?.lowercased() != dataType { try session.executeOnce(sql) }
        case .convertToUTF8MB4(let table):
            guard mysql else { return }
            let collation = try session.query(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?",
                [.text(table)]
            ).first?.string(0)
            if let collation, !collation.hasPrefix("utf8mb4") {
                try session.executeOnce("ALTER TABLE \(table) CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            }
        }
    }
}
