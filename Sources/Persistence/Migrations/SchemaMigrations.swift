/// The schema, as migrations per database.
///
/// Version 1 is BPG's DDL (docs/bpg-compatibility.md, "Database tables and statements") so an existing BPG
/// database is taken over in place (its tables exist, so nothing happens); version 2 adds the gateway's
/// columns, indexes and tables without touching existing rows; version 3 adds the columns holding what
/// the monitor observed beyond the state (so status from a row matches status from the object) and
/// the gateway's note; version 4 Livy's batch ids; version 5 a message per status change (the status
/// stream's events); version 6 the log archive tasks. BPG's columns keep their meaning, so BPG can
/// still read and write the table.
enum SchemaMigrations {
    static let mysql: [Migration] = [
        Migration(
            version: 1, name: "BPG tables",
            steps: [
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS application_submission (
                      submission_id VARCHAR(255) NOT NULL PRIMARY KEY,
                      `user` VARCHAR(255) NULL,
                      app_name VARCHAR(255),
                      dag_name VARCHAR(255),
                      task_name VARCHAR(255),
                      spark_version VARCHAR(255),
                      queue VARCHAR(255),
                      status VARCHAR(255),
                      app_id VARCHAR(255),
                      request_body TEXT,
                      created_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                      finished_time TIMESTAMP NULL,
                      start_time TIMESTAMP NULL,
                      driver_core SMALLINT,
                      driver_memory_mb INT,
                      number_executor SMALLINT,
                      executor_core SMALLINT,
                      executor_memory_mb INT,
                      cost DECIMAL(10,2)
                    ) DEFAULT CHARSET = utf8mb4
                    """),
                // The AWS sample's fix: `hour` in backticks (BPG's "hour" is a string in MySQL).
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS logindex (
                      logs3key VARCHAR(500) NOT NULL PRIMARY KEY,
                      `date` date NOT NULL,
                      `hour` SMALLINT NOT NULL,
                      containerId VARCHAR(60) NOT NULL
                    ) DEFAULT CHARSET = utf8mb4
                    """),
            ]),
        Migration(
            version: 2, name: "gateway columns, indexes, history and leases",
            steps: [
                .convertToUTF8MB4(table: "application_submission"),
                .convertToUTF8MB4(table: "logindex"),
                .changeColumnType(
                    table: "application_submission", column: "request_body", dataType: "mediumtext",
                    sql: "ALTER TABLE application_submission MODIFY request_body MEDIUMTEXT"),
                addColumn("cluster_id", "VARCHAR(255) NULL"),
                addColumn("namespace", "VARCHAR(255) NULL"),
                addColumn("resolved_queue", "VARCHAR(255) NULL"),
                addColumn("idempotency_key", "VARCHAR(255) NULL"),
                addColumn("error_message", "TEXT NULL"),
                addColumn("status_version", "BIGINT NOT NULL DEFAULT 0"),
                addColumn("updated_time", "DATETIME(6) NULL"),
                addIndex("idx_submission_created", "(created_time, submission_id)"),
                addIndex("idx_submission_user_created", "(`user`, created_time, submission_id)"),
                addIndex("idx_submission_app_name_created", "(app_name, created_time, submission_id)"),
                addIndex("idx_submission_status_created", "(status, created_time, submission_id)"),
                addIndex("idx_submission_app_id", "(app_id)"),
                .addIndex(
                    table: "application_submission", index: "uq_submission_user_idempotency",
                    sql: "CREATE UNIQUE INDEX uq_submission_user_idempotency ON application_submission (`user`, idempotency_key)"),
                .addIndex(
                    table: "logindex", index: "idx_logindex_container",
                    sql: "CREATE INDEX idx_logindex_container ON logindex (containerId, logs3key)"),
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS submission_status_history (
                      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      submission_id VARCHAR(255) NOT NULL,
                      status VARCHAR(255) NOT NULL,
                      observed_version BIGINT NOT NULL,
                      changed_time DATETIME(6) NOT NULL,
                      KEY idx_history_submission (submission_id, id)
                    ) DEFAULT CHARSET = utf8mb4
                    """),
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS gateway_lease (
                      name VARCHAR(255) NOT NULL PRIMARY KEY,
                      holder VARCHAR(255) NOT NULL,
                      expires_at_us BIGINT NOT NULL,
                      token BIGINT NOT NULL
                    ) DEFAULT CHARSET = utf8mb4
                    """),
            ]),
        Migration(
            version: 3, name: "observed status columns and note",
            steps: [
                addColumn("observed_version", "BIGINT NOT NULL DEFAULT 0"),
                addColumn("observed_created_ms", "BIGINT NULL"),
                addColumn("termination_ms", "BIGINT NULL"),
                addColumn("execution_attempts", "INT NULL"),
                addColumn("submission_attempts", "INT NULL"),
                addColumn("application_error_message", "TEXT NULL"),
                addColumn("max_running_millis", "BIGINT NULL"),
                addColumn("driver_pod_name", "VARCHAR(255) NULL"),
                addColumn("note", "TEXT NULL"),
            ]),
        Migration(
            version: 4, name: "Livy batch ids",
            steps: [
                // Livy clients address batches by integer; the id is assigned once per submission.
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS livy_batch (
                      batch_id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
                      submission_id VARCHAR(255) NOT NULL,
                      created_time DATETIME(6) NOT NULL,
                      UNIQUE KEY uq_livy_batch_submission (submission_id)
                    ) DEFAULT CHARSET = utf8mb4
                    """),
            ]),
        Migration(
            version: 5, name: "status history messages",
            steps: [
                // The status stream's events carry why a state was reached; the history table (version 2)
                // already holds one row per change, so the message rides on it (no second insert).
                .addColumn(
                    table: "submission_status_history", column: "message",
                    sql: "ALTER TABLE submission_status_history ADD COLUMN message TEXT NULL"),
            ]),
        Migration(
            version: 6, name: "log archive tasks",
            steps: [
                // One row per container log to copy to sparkLogS3Bucket (LogArchiveOperations): the
                // claim columns let exactly one replica upload it; times are microseconds since 1970.
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS log_archive (
                      container_id VARCHAR(255) NOT NULL PRIMARY KEY,
                      submission_id VARCHAR(255) NOT NULL,
                      cluster_id VARCHAR(255) NOT NULL,
                      namespace VARCHAR(255) NOT NULL,
                      pod_name VARCHAR(255) NOT NULL,
                      s3_key VARCHAR(1024) NOT NULL,
                      log_date VARCHAR(10) NOT NULL,
                      log_hour SMALLINT NOT NULL,
                      state VARCHAR(32) NOT NULL,
                      attempts INT NOT NULL DEFAULT 0,
                      next_attempt_us BIGINT NOT NULL,
                      claimed_by VARCHAR(255) NULL,
                      claim_expires_us BIGINT NULL,
                      last_error TEXT NULL,
                      created_us BIGINT NOT NULL,
                      updated_us BIGINT NOT NULL,
                      KEY idx_log_archive_due (cluster_id, state, next_attempt_us),
                      KEY idx_log_archive_submission (submission_id)
                    ) DEFAULT CHARSET = utf8mb4
                    """),
                // BPG's VARCHAR(60) is shorter than `<submissionId>-exec-<n>` for a cluster id longer
                // than about 20 characters; wider keeps BPG's reads working (they compare values).
                .statement("ALTER TABLE logindex MODIFY containerId VARCHAR(255) NOT NULL"),
            ]),
    ]

    private static func addColumn(_ column: String, _ definition: String) -> MigrationStep {
        .addColumn(
            table: "application_submission", column: column,
            sql: "ALTER TABLE application_submission ADD COLUMN \(column) \(definition)")
    }

    private static func addIndex(_ index: String, _ columns: String) -> MigrationStep {
        .addIndex(
            table: "application_submission", index: index,
            sql: "CREATE INDEX \(index) ON application_submission \(columns)")
    }

    /// SQLite never held a BPG database, so its first version is the whole schema with BPG's
    /// column names; times are UTC text, which sorts in time order.
    static let sqlite: [Migration] = [
        Migration(
            version: 1, name: "BPG tables",
            steps: [
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS application_submission (
                      submission_id TEXT NOT NULL PRIMARY KEY,
                      `user` TEXT NULL,
                      app_name TEXT,
                      dag_name TEXT,
                      task_name TEXT,
                      spark_version TEXT,
                      queue TEXT,
                      status TEXT,
                      app_id TEXT,
                      request_body TEXT,
                      created_time TEXT DEFAULT CURRENT_TIMESTAMP,
                      finished_time TEXT NULL,
                      start_time TEXT NULL,
                      driver_core INTEGER,
                      driver_memory_mb INTEGER,
                      number_executor INTEGER,
                      executor_core INTEGER,
                      executor_memory_mb INTEGER,
                      cost NUMERIC
                    )
                    """),
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS logindex (
                      logs3key TEXT NOT NULL PRIMARY KEY,
                      `date` TEXT NOT NULL,
                      `hour` INTEGER NOT NULL,
                      containerId TEXT NOT NULL
                    )
                    """),
            ]),
        Migration(
            version: 2, name: "gateway columns, indexes, history and leases",
            steps: [
                sqliteColumn("cluster_id", "TEXT NULL"),
                sqliteColumn("namespace", "TEXT NULL"),
                sqliteColumn("resolved_queue", "TEXT NULL"),
                sqliteColumn("idempotency_key", "TEXT NULL"),
                sqliteColumn("error_message", "TEXT NULL"),
                sqliteColumn("status_version", "INTEGER NOT NULL DEFAULT 0"),
                sqliteColumn("updated_time", "TEXT NULL"),
                .statement(
                    "CREATE INDEX IF NOT EXISTS idx_submission_created ON application_submission (created_time, submission_id)"),
                .statement(
                    "CREATE INDEX IF NOT EXISTS idx_submission_user_created ON application_submission (`user`, created_time, submission_id)"),
                .statement(
                    "CREATE INDEX IF NOT EXISTS idx_submission_app_name_created ON application_submission (app_name, created_time, submission_id)"),
                .statement(
                    "CREATE INDEX IF NOT EXISTS idx_submission_status_created ON application_submission (status, created_time, submission_id)"),
                .statement("CREATE INDEX IF NOT EXISTS idx_submission_app_id ON application_submission (app_id)"),
                .statement(
                    "CREATE UNIQUE INDEX IF NOT EXISTS uq_submission_user_idempotency ON application_submission (`user`, idempotency_key)"),
                .statement("CREATE INDEX IF NOT EXISTS idx_logindex_container ON logindex (containerId, logs3key)"),
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS submission_status_history (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      submission_id TEXT NOT NULL,
                      status TEXT NOT NULL,
                      observed_version INTEGER NOT NULL,
                      changed_time TEXT NOT NULL
                    )
                    """),
                .statement(
                    "CREATE INDEX IF NOT EXISTS idx_history_submission ON submission_status_history (submission_id, id)"),
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS gateway_lease (
                      name TEXT NOT NULL PRIMARY KEY,
                      holder TEXT NOT NULL,
                      expires_at_us INTEGER NOT NULL,
                      token INTEGER NOT NULL
                    )
                    """),
            ]),
        Migration(
            version: 3, name: "observed status columns and note",
            steps: [
                sqliteColumn("observed_version", "INTEGER NOT NULL DEFAULT 0"),
                sqliteColumn("observed_created_ms", "INTEGER NULL"),
                sqliteColumn("termination_ms", "INTEGER NULL"),
                sqliteColumn("execution_attempts", "INTEGER NULL"),
                sqliteColumn("submission_attempts", "INTEGER NULL"),
                sqliteColumn("application_error_message", "TEXT NULL"),
                sqliteColumn("max_running_millis", "INTEGER NULL"),
                sqliteColumn("driver_pod_name", "TEXT NULL"),
                sqliteColumn("note", "TEXT NULL"),
            ]),
        Migration(
            version: 4, name: "Livy batch ids",
            steps: [
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS livy_batch (
                      batch_id INTEGER PRIMARY KEY AUTOINCREMENT,
                      submission_id TEXT NOT NULL UNIQUE,
                      created_time TEXT NOT NULL
                    )
                    """),
            ]),
        Migration(
            version: 5, name: "status history messages",
            steps: [
                .addColumn(
                    table: "submission_status_history", column: "message",
                    sql: "ALTER TABLE submission_status_history ADD COLUMN message TEXT NULL"),
            ]),
        Migration(
            version: 6, name: "log archive tasks",
            steps: [
                .statement(
                    """
                    CREATE TABLE IF NOT EXISTS log_archive (
                      container_id TEXT NOT NULL PRIMARY KEY,
                      submission_id TEXT NOT NULL,
                      cluster_id TEXT NOT NULL,
                      namespace TEXT NOT NULL,
                      pod_name TEXT NOT NULL,
                      s3_key TEXT NOT NULL,
                      log_date TEXT NOT NULL,
                      log_hour INTEGER NOT NULL,
                      state TEXT NOT NULL,
                      attempts INTEGER NOT NULL DEFAULT 0,
                      next_attempt_us INTEGER NOT NULL,
                      claimed_by TEXT NULL,
                      claim_expires_us INTEGER NULL,
                      last_error TEXT NULL,
                      created_us INTEGER NOT NULL,
                      updated_us INTEGER NOT NULL
                    )
                    """),
                .statement("CREATE INDEX IF NOT EXISTS idx_log_archive_due ON log_archive (cluster_id, state, next_attempt_us)"),
                .statement("CREATE INDEX IF NOT EXISTS idx_log_archive_submission ON log_archive (submission_id)"),
            ]),
    ]

    private static func sqliteColumn(_ column: String, _ definition: String) -> MigrationStep {
        .addColumn(
            table: "application_submission", column: column,
            sql: "ALTER TABLE application_submission ADD COLUMN \(column) \(definition)")
    }
}
