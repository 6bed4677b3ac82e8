/// The statements that differ between MySQL and SQLite; everything else is written once.
struct SQLDialect: Sendable {
    enum Kind: Sendable { case mysql, sqlite }

    var kind: Kind
    /// Appended to a `SELECT` that reads a row the transaction is about to change.
    var forUpdate: String
    /// `INSERT IGNORE INTO` / `INSERT OR IGNORE INTO`.
    var insertIgnore: String
    /// Records the app id, creating a placeholder row when none exists.
    var upsertAppId: String

    static let mysql = SQLDialect(
        kind: .mysql,
        forUpdate: " FOR UPDATE",
        insertIgnore: "INSERT IGNORE INTO",
        upsertAppId: """
            INSERT INTO application_submission (submission_id, app_id, created_time, status_version) \
            VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE app_id = VALUES(app_id)
            """
    )

    static let sqlite = SQLDialect(
        kind: .sqlite,
        forUpdate: "",
        insertIgnore: "INSERT OR IGNORE INTO",
        upsertAppId: """
            INSERT INTO application_submission (submission_id, app_id, created_time, status_version) \
            VALUES (?, ?, ?, 0) ON CONFLICT(submission_id) DO UPDATE SET app_id = excluded.app_id
            """
    )
}
