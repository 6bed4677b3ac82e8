/// One numbered schema change. Applied versions are kept in `bpg_schema_migrations`.
struct Migration: Sendable {
    var version: Int
    var name: String
    var steps: [MigrationStep]
}

/// A schema change that can be re-run after a partial failure: MySQL commits each DDL statement on
/// its own, so every step checks whether it is already in place before changing anything.
enum MigrationStep: Sendable {
    /// A statement that is idempotent by itself (`CREATE TABLE IF NOT EXISTS`).
    case statement(String)
    /// `sql` adds `column` to `table` unless it exists.
    case addColumn(table: String, column: String, sql: String)
    /// `sql` creates `index` on `table` unless it exists.
    case addIndex(table: String, index: String, sql: String)
    /// `sql` changes `column` unless its data type is already `dataType` (MySQL only).
    case changeColumnType(table: String, column: String, dataType: String, sql: String)
    /// Converts the table to utf8mb4 unless its collation already is (MySQL only).
    case convertToUTF8MB4(table: String)
}
