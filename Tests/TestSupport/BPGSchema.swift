/// BPG's own tables as BPG creates them in MySQL (docs/bpg-compatibility.md, "Database tables and
/// statements", with the AWS sample's backticked `hour`), for tests that start from a database BPG
/// wrote and check that the gateway migrates it and keeps its rows.
public enum BPGSchema {
    /// `application_submission` and `logindex`.
    public static let mysqlDDL = [
        """
        CREATE TABLE IF NOT EXISTS application_submission (submission_id VARCHAR(255) NOT NULL PRIMARY KEY, \
        `user` VARCHAR(255) NULL, app_name VARCHAR(255), dag_name VARCHAR(255), task_name VARCHAR(255), \
        spark_version VARCHAR(255), queue VARCHAR(255), status VARCHAR(255), app_id VARCHAR(255), request_body TEXT, \
        created_time TIMESTAMP DEFAULT CURRENT_TIMESTAMP, finished_time TIMESTAMP NULL, start_time TIMESTAMP NULL, \
        driver_core SMALLINT, driver_memory_mb INT, number_executor SMALLINT, executor_core SMALLINT, \
        executor_memory_mb INT, cost DECIMAL(10,2))
        """,
        """
        CREATE TABLE IF NOT EXISTS logindex (logs3key VARCHAR(500) NOT NULL PRIMARY KEY, date date NOT NULL, \
        `hour` SMALLINT NOT NULL, containerId VARCHAR(60) NOT NULL)
        """,
    ]
}
