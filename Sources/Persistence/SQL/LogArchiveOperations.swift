import Foundation

/// The `log_archive` table's operations, written once over `SQLSession` for both databases, with
/// the rules of `LogArchiveRules` (the in-memory store applies the same ones).
///
/// Times are microseconds since 1970 in `BIGINT` columns, so MySQL and SQLite compare them alike.
enum LogArchiveOperations {
    static let columns = """
        container_id, submission_id, cluster_id, namespace, pod_name, s3_key, log_date, log_hour, state, attempts, \
        next_attempt_us, claimed_by, claim_expires_us, last_error
        """

    static func task(_ row: SQLRow) -> LogArchiveTask {
        var task = LogArchiveTask(
            containerId: row.string(0) ?? "", submissionId: row.string(1) ?? "", clusterId: row.string(2) ?? "",
            namespace: row.string(3) ?? "", podName: row.string(4) ?? "", s3Key: row.string(5) ?? "",
            date: row.string(6) ?? "", hour: row.int(7) ?? 0,
            nextAttempt: StoreTime.date(microseconds: row.int64(10) ?? 0))
        task.state = LogArchiveTask.State(rawValue: row.string(8) ?? "") ?? .pending
        task.attempts = row.int(9) ?? 0
        task.claimedBy = row.string(11)
        task.claimExpires = row.int64(12).map { StoreTime.date(microseconds: $0) }
        task.lastError = row.string(13)
        return task
    }

    static func load(_ session: any SQLSession, _ containerId: String, locking: Bool = false) throws(SQLError) -> LogArchiveTask? {
        try session.query(
            "SELECT \(columns) FROM log_archive WHERE container_id = ?" + (locking ? session.dialect.forUpdate : ""),
            [.text(containerId)]
        ).first.map(task)
    }

    static func enqueue(_ session: any SQLSession, _ task: LogArchiveTask, at time: Date) throws(SQLError) -> Bool {
        let now = Int64(StoreTime.microseconds(time))
        return try session.execute(
            """
            \(session.dialect.insertIgnore) log_archive (container_id, submission_id, cluster_id, namespace, pod_name, s3_key, \
            log_date, log_hour, state, attempts, next_attempt_us, created_us, updated_us) \
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
            """,
            [
                .text(task.containerId), .text(task.submissionId), .text(task.clusterId), .text(task.namespace),
                .text(task.podName), .text(task.s3Key), .text(task.date), .integer(Int64(task.hour)),
                .integer(StoreTime.microseconds(task.nextAttempt)), .integer(now), .integer(now),
            ]) > 0
    }

    /// Candidates are read first, then each is taken by an `UPDATE` that repeats the conditions: a
    /// concurrent claimer's update matches no row, so it simply does not get that task.
    static func claim(
        _ session: any SQLSession, clusterId: String, holder: String, now: Date, claimFor: Duration, limit: Int
    ) throws(SQLError) -> [LogArchiveTask] {
        let nowUs = StoreTime.microseconds(now)
        let expiresUs = StoreTime.microseconds(now.addingTimeInterval(claimFor.seconds))
        let claimable = "state = 'pending' AND next_attempt_us <= ? AND (claimed_by IS NULL OR claimed_by = ? OR claim_expires_us <= ?)"
        let candidates = try session.query(
            "SELECT container_id FROM log_archive WHERE cluster_id = ? AND \(claimable) ORDER BY next_attempt_us, container_id LIMIT ?",
            [.text(clusterId), .integer(nowUs), .text(holder), .integer(nowUs), .integer(Int64(max(0, limit)))]
        ).compactMap { $0.string(0) }
        var claimed: [LogArchiveTask] = []
        for containerId in candidates {
            let taken = try session.execute(
                """
                UPDATE log_archive SET claimed_by = ?, claim_expires_us = ?, attempts = attempts + 1, updated_us = ? \
                WHERE container_id = ? AND \(claimable)
                """,
                [
                    .text(holder), .integer(expiresUs), .integer(nowUs), .text(containerId), .integer(nowUs), .text(holder),
                    .integer(nowUs),
                ])
            guard taken > 0, let task = try load(session, containerId), task.claimedBy == holder else { continue }
            claimed.append(task)
        }
        return claimed
    }

    static func complete(_ session: any SQLSession, _ containerId: String, at time: Date) throws(SQLError) -> Bool {
        try session.transaction { () throws(SQLError) -> Bool in
            guard let task = try load(session, containerId, locking: true), task.state != .archived else { return false }
            try SubmissionOperations.addLogIndexEntry(session, task.indexEntry)
            try session.execute(
                """
                UPDATE log_archive SET state = 'archived', claimed_by = NULL, claim_expires_us = NULL, last_error = NULL, \
                updated_us = ? WHERE container_id = ?
                """,
                [.integer(StoreTime.microseconds(time)), .text(containerId)])
            return true
        }
    }

    static func setBack(
        _ session: any SQLSession, _ containerId: String, holder: String, _ setback: LogArchiveSetback, at time: Date
    ) throws(SQLError) -> Bool {
        try session.transaction { () throws(SQLError) -> Bool in
            guard var task = try load(session, containerId, locking: true), task.state == .pending, task.claimedBy == holder
            else { return false }
            LogArchiveRules.apply(setback, to: &task)
            try session.execute(
                """
                UPDATE log_archive SET state = ?, next_attempt_us = ?, claimed_by = NULL, claim_expires_us = NULL, \
                last_error = ?, updated_us = ? WHERE container_id = ?
                """,
                [
                    .text(task.state.rawValue), .integer(StoreTime.microseconds(task.nextAttempt)),
                    task.lastError.map { .text($0) } ?? .null, .integer(StoreTime.microseconds(time)), .text(containerId),
                ])
            return true
        }
    }

    static func bySubmission(_ session: any SQLSession, _ submissionId: String) throws(SQLError) -> [LogArchiveTask] {
        try session.query(
            "SELECT \(columns) FROM log_archive WHERE submission_id = ? ORDER BY container_id", [.text(submissionId)]
        ).map(task)
    }
}
