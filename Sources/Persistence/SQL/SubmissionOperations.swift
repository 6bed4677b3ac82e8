import Foundation

/// The store's operations, written once over `SQLSession` for both databases.
///
/// Each function runs on the thread that owns the session. Read-modify-write operations lock the
/// row first (`SELECT … FOR UPDATE` in MySQL; SQLite has one writer), decide in Swift with the same
/// rules as `InMemorySubmissionStore`, and write in the same transaction. Every operation is safe to
/// run again after a lost connection: that is what lets the MySQL store retry them.
enum SubmissionOperations {
    static let columns = """
        submission_id, `user`, app_name, dag_name, task_name, spark_version, queue, status, app_id, \
        request_body, created_time, finished_time, start_time, driver_core, driver_memory_mb, number_executor, \
        executor_core, executor_memory_mb, cost, cluster_id, namespace, resolved_queue, idempotency_key, \
        error_message, status_version, updated_time, observed_version, observed_created_ms, termination_ms, \
        execution_attempts, submission_attempts, application_error_message, max_running_millis, driver_pod_name, note
        """

    static func record(_ row: SQLRow) -> SubmissionRecord {
        var record = SubmissionRecord(submissionId: row.string(0) ?? "")
        record.user = row.string(1)
        record.appName = row.string(2)
        record.dagName = row.string(3)
        record.taskName = row.string(4)
        record.sparkVersion = row.string(5)
        record.queue = row.string(6)
        record.status = row.string(7)
        record.appId = row.string(8)
        record.requestBody = row.string(9)
        record.createdTime = row.date(10)
        record.finishedTime = row.date(11)
        record.startTime = row.date(12)
        record.driverCores = row.int(13)
        record.driverMemoryMb = row.int(14)
        record.executorInstances = row.int(15)
        record.executorCores = row.int(16)
        record.executorMemoryMb = row.int(17)
        record.cost = row.decimal(18)
        record.clusterId = row.string(19)
        record.namespace = row.string(20)
        record.resolvedQueue = row.string(21)
        record.idempotencyKey = row.string(22)
        record.errorMessage = row.string(23)
        record.statusVersion = row.int64(24) ?? 0
        record.updatedTime = row.date(25)
        record.observedVersion = row.int64(26) ?? 0
        record.observedCreatedMillis = row.int64(27)
        record.terminationMillis = row.int64(28)
        record.executionAttempts = row.int(29)
        record.submissionAttempts = row.int(30)
        record.applicationErrorMessage = row.string(31)
        record.maxRunningMillis = row.int64(32)
        record.driverPodName = row.string(33)
        record.note = row.string(34)
        return record
    }

    // MARK: Reads

    static func load(_ session: any SQLSession, _ id: String, locking: Bool = false) throws(SQLError)
        -> SubmissionRecord?
    {
        let sql =
            "SELECT \(columns) FROM application_submission WHERE submission_id = ?"
            + (locking ? session.dialect.forUpdate : "")
        return try session.query(sql, [.text(id)]).first.map(record)
    }

    /// Locks the row and reads only what the status rules look at.
    static func loadStatus(_ session: any SQLSession, _ id: String) throws(SQLError) -> SubmissionRecord? {
        guard
            let row = try session.query(
                "SELECT status, status_version, finished_time, error_message, updated_time, application_error_message, note "
                    + "FROM application_submission WHERE submission_id = ?\(session.dialect.forUpdate)", [.text(id)]
            ).first
        else { return nil }
        var record = SubmissionRecord(submissionId: id)
        record.status = row.string(0)
        record.statusVersion = row.int64(1) ?? 0
        record.finishedTime = row.date(2)
        record.errorMessage = row.string(3)
        record.updatedTime = row.date(4)
        record.applicationErrorMessage = row.string(5)
        record.note = row.string(6)
        return record
    }

    static func byAppId(_ session: any SQLSession, _ appId: String) throws(SQLError) -> SubmissionRecord? {
        try session.query(
            "SELECT \(columns) FROM application_submission WHERE app_id = ? "
                + "ORDER BY created_time DESC, submission_id DESC LIMIT 1", [.text(appId)]
        ).first.map(record)
    }

    static func byIdempotencyKey(_ session: any SQLSession, user: String, key: String) throws(SQLError)
        -> SubmissionRecord?
    {
        try session.query(
            "SELECT \(columns) FROM application_submission WHERE `user` = ? AND idempotency_key = ?",
            [.text(user), .text(key)]
        ).first.map(record)
    }

    static func history(_ session: any SQLSession, _ id: String) throws(SQLError) -> [StatusTransition] {
        try session.query(
            "SELECT status, observed_version, changed_time, message FROM submission_status_history "
                + "WHERE submission_id = ? ORDER BY id", [.text(id)]
        ).map {
            StatusTransition(
                status: $0.string(0) ?? "", observedVersion: $0.int64(1) ?? 0,
                time: $0.date(2) ?? Date(timeIntervalSince1970: 0), message: $0.string(3))
        }
    }

    /// The listing statement for one combination of filters; only values are bound, and the text
    /// comes from this fixed set, so each combination is one cached prepared statement.
    static func list(_ session: any SQLSession, _ query: SubmissionQuery, limit: Int, cursor: SubmissionCursor?)
        throws(SQLError) -> SubmissionPage
    {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let user = query.user {
            conditions.append("`user` = ?")
            parameters.append(.text(user))
        }
        if let appName = query.appName {
            conditions.append("app_name = ?")
            parameters.append(.text(appName))
        }
        if let status = query.status {
            conditions.append("status = ?")
            parameters.append(.text(status))
        }
        if let from = query.createdFrom {
            conditions.append("created_time >= ?")
            parameters.append(.text(StoreTime.seconds(from)))
        }
        if let before = query.createdBefore {
            conditions.append("created_time < ?")
            parameters.append(.text(StoreTime.seconds(before)))
        }
        if let cursor {
            conditions.append("(created_time < ? OR (created_time = ? AND submission_id < ?))")
            let created = StoreTime.seconds(cursor.createdTime)
            parameters += [.text(created), .text(created), .text(cursor.submissionId)]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        parameters.append(.integer(Int64(limit)))
        let rows = try session.query(
            "SELECT \(columns) FROM application_submission\(filter) "
                + "ORDER BY created_time DESC, submission_id DESC LIMIT ?", parameters
        ).map(record)
        let next = rows.count == limit ? rows.last.map { SubmissionCursor(after: $0).encoded } : nil
        return SubmissionPage(records: rows, nextCursor: next)
    }

    static func logKeys(_ session: any SQLSession, _ containerId: String) throws(SQLError) -> [String] {
        try session.query(
            "SELECT DISTINCT logs3key FROM logindex WHERE containerId = ? ORDER BY logs3key", [.text(containerId)]
        ).compactMap { $0.string(0) }
    }

    // MARK: Livy batch ids

    /// Get-or-assign. Each step is safe to repeat (the unique submission id turns a second insert into
    /// a no-op), so no transaction is needed; the first read avoids spending an auto-increment value
    /// (MySQL's `INSERT IGNORE` takes one even when it inserts nothing) on the common repeat.
    static func livyBatchId(_ session: any SQLSession, _ submissionId: String, _ time: Date) throws(SQLError) -> Int64 {
        let select = "SELECT batch_id FROM livy_batch WHERE submission_id = ?"
        if let id = try session.query(select, [.text(submissionId)]).first?.int64(0) { return id }
        try session.execute(
            "\(session.dialect.insertIgnore) livy_batch (submission_id, created_time) VALUES (?, ?)",
            [.text(submissionId), .text(StoreTime.micros(time))])
        guard let id = try session.query(select, [.text(submissionId)]).first?.int64(0) else {
            throw SQLError(
                kind: .other, function: "livyBatchId", code: 0,
                message: "no livy_batch row for \(submissionId) after inserting it")
        }
        return id
    }

    static func livyBatch(_ session: any SQLSession, _ batchId: Int64) throws(SQLError) -> LivyBatch? {
        try session.query("SELECT submission_id FROM livy_batch WHERE batch_id = ?", [.integer(batchId)]).first
            .flatMap { $0.string(0) }.map { LivyBatch(batchId: batchId, submissionId: $0) }
    }

    static func livyBatches(_ session: any SQLSession, user: String?, from: Int, size: Int) throws(SQLError)
        -> LivyBatchPage
    {
        let join = user == nil ? "" : " JOIN application_submission s ON s.submission_id = b.submission_id WHERE s.`user` = ?"
        let filter: [SQLValue] = user.map { [.text($0)] } ?? []
        let total = try session.query("SELECT COUNT(*) FROM livy_batch b" + join, filter).first?.int64(0) ?? 0
        let rows = try session.query(
            "SELECT b.batch_id, b.submission_id FROM livy_batch b" + join + " ORDER BY b.batch_id LIMIT ? OFFSET ?",
            filter + [.integer(Int64(max(0, size))), .integer(Int64(max(0, from)))])
        return LivyBatchPage(
            total: Int(total),
            batches: rows.compactMap { row in
                guard let id = row.int64(0), let submission = row.string(1) else { return nil }
                return LivyBatch(batchId: id, submissionId: submission)
            })
    }

    // MARK: Writes

    static func appendHistory(
        _ session: any SQLSession, _ id: String, _ status: String, _ version: Int64, _ time: Date, message: String? = nil
    ) throws(SQLError) {
        try session.execute(
            "INSERT INTO submission_status_history (submission_id, status, observed_version, changed_time, message) "
                + "VALUES (?, ?, ?, ?, ?)",
            [.text(id), .text(status), .integer(version), .text(StoreTime.micros(time)), SQLValue(message)])
    }

    /// Appends a status change of `record` (the row as it was before it) to the history. A row that
    /// no gateway has changed yet (BPG's: a status but no `updated_time`) has no history, and the
    /// status stream presents its current status as the first change; that status is written first
    /// so the numbering the stream showed stays true. The caller has the row locked.
    private static func appendChange(
        _ session: any SQLSession, _ record: SubmissionRecord, _ status: String, _ version: Int64, _ time: Date,
        message: String?
    ) throws(SQLError) {
        if let previous = record.historyBackfill {
            try appendHistory(session, record.submissionId, previous.status, previous.observedVersion, previous.time)
        }
        try appendHistory(session, record.submissionId, status, version, time, message: message)
    }

    static func insert(_ session: any SQLSession, _ submission: NewSubmission) throws(SQLError) -> InsertOutcome {
        if let key = submission.idempotencyKey,
            let existing = try byIdempotencyKey(session, user: submission.user, key: key),
            existing.submissionId != submission.submissionId
        {
            return .existingForIdempotencyKey(existing)
        }
        do {
            try session.transaction { () throws(SQLError) in
                try session.execute(
                    """
                    INSERT INTO application_submission (submission_id, `user`, app_name, spark_version, queue, \
                    status, request_body, created_time, cluster_id, namespace, resolved_queue, idempotency_key, \
                    status_version, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
                    """,
                    [
                        .text(submission.submissionId), .text(submission.user), SQLValue(submission.appName),
                        SQLValue(submission.sparkVersion), SQLValue(submission.queue), .text(SubmissionState.accepted),
                        SQLValue(submission.requestBody), .text(StoreTime.seconds(submission.createdTime)),
                        SQLValue(submission.clusterId), SQLValue(submission.namespace),
                        SQLValue(submission.resolvedQueue), SQLValue(submission.idempotencyKey),
                        .text(StoreTime.micros(submission.createdTime)),
                    ])
                try appendHistory(session, submission.submissionId, SubmissionState.accepted, 0, submission.createdTime)
            }
        } catch where error.kind == .duplicateKey {
            return try resolveDuplicate(session, submission, error)
        }
        return .inserted(SubmissionRecord(accepted: submission))
    }

    /// After a duplicate key: an identical row is an earlier attempt of this insert (success), a
    /// placeholder row is filled in, another user's idempotency hit is returned, anything else conflicts.
    private static func resolveDuplicate(_ session: any SQLSession, _ submission: NewSubmission, _ error: SQLError)
        throws(SQLError) -> InsertOutcome
    {
        try session.transaction { () throws(SQLError) -> InsertOutcome in
            if var existing = try load(session, submission.submissionId, locking: true) {
                if submission.matches(existing) { return .inserted(existing) }
                guard existing.isPlaceholder else {
                    throw SQLError(
                        kind: .duplicateKey, function: error.function, code: error.code,
                        message: "submission id \(submission.submissionId) already records another submission")
                }
                try session.execute(
                    """
                    UPDATE application_submission SET `user` = ?, app_name = COALESCE(?, app_name), spark_version = ?, \
                    queue = ?, request_body = ?, cluster_id = ?, namespace = ?, resolved_queue = ?, \
                    idempotency_key = ? WHERE submission_id = ?
                    """,
                    [
                        .text(submission.user), SQLValue(submission.appName), SQLValue(submission.sparkVersion),
                        SQLValue(submission.queue), SQLValue(submission.requestBody), SQLValue(submission.clusterId),
                        SQLValue(submission.namespace), SQLValue(submission.resolvedQueue),
                        SQLValue(submission.idempotencyKey), .text(submission.submissionId),
                    ])
                existing.fill(from: submission)
                return .inserted(existing)
            }
            if let key = submission.idempotencyKey,
                let existing = try byIdempotencyKey(session, user: submission.user, key: key)
            {
                return .existingForIdempotencyKey(existing)
            }
            throw error
        }
    }

    /// Changes status inside a transaction when `rule` approves the locked row.
    private static func transition(
        _ session: any SQLSession, _ id: String, status: String, version: Int64, time: Date,
        rule: (SubmissionRecord) -> TransitionDecision, message: String? = nil,
        extra: (SubmissionRecord) -> (sql: String, values: [SQLValue]) = { _ in ("", []) }
    ) throws(SQLError) -> Bool {
        try session.transaction { () throws(SQLError) -> Bool in
            guard let record = try loadStatus(session, id) else { return false }
            switch rule(record) {
            case .reject: return false
            case .alreadyApplied: return true
            case .apply: break
            }
            let (extraSQL, extraValues) = extra(record)
            try session.execute(
                "UPDATE application_submission SET status = ?, status_version = ?, updated_time = ?\(extraSQL) "
                    + "WHERE submission_id = ?",
                [.text(status), .integer(max(version, record.statusVersion)), .text(StoreTime.micros(time))]
                    + extraValues + [.text(id)])
            if record.status != status {
                try appendChange(
                    session, record, status, version, time, message: message ?? record.observedMessage(for: status))
            }
            return true
        }
    }

    static func markCreated(_ session: any SQLSession, _ id: String, _ time: Date) throws(SQLError) -> Bool {
        try transition(session, id, status: SubmissionState.created, version: 0, time: time, rule: { $0.createdRule() })
    }

    static func markSubmissionFailed(_ session: any SQLSession, _ id: String, _ error: String, _ time: Date)
        throws(SQLError) -> Bool
    {
        try transition(
            session, id, status: SubmissionState.submissionFailed, version: 0, time: time,
            rule: { $0.submissionFailedRule(error: error) }, message: error,
            extra: { _ in (", error_message = ?, finished_time = ?", [.text(error), .text(StoreTime.seconds(time))]) })
    }

    static func markOutcomeUnknown(_ session: any SQLSession, _ id: String, _ error: String, _ time: Date)
        throws(SQLError) -> Bool
    {
        try transition(
            session, id, status: SubmissionState.outcomeUnknown, version: 0, time: time,
            rule: { $0.outcomeUnknownRule() }, message: error,
            extra: { _ in (", error_message = ?", [.text(error)]) })
    }

    static func fence(_ session: any SQLSession, _ id: String, _ reason: String, _ time: Date) throws(SQLError) -> Bool {
        try transition(
            session, id, status: SubmissionState.fenced, version: 0, time: time, rule: { $0.fenceRule() }, message: reason,
            extra: { _ in (", error_message = ?, finished_time = ?", [.text(reason), .text(StoreTime.seconds(time))]) })
    }

    static func updateStatus(_ session: any SQLSession, _ id: String, _ status: String, _ version: Int64, _ time: Date)
        throws(SQLError) -> Bool
    {
        try transition(session, id, status: status, version: version, time: time) {
            $0.statusRule(status: status, observedVersion: version)
        }
    }

    static func recordAppId(_ session: any SQLSession, _ id: String, _ appId: String, now: Date) throws(SQLError) {
        try session.execute(session.dialect.upsertAppId, [.text(id), .text(appId), .text(StoreTime.seconds(now))])
    }

    static func recordJobInfo(_ session: any SQLSession, _ id: String, _ info: JobInfo) throws(SQLError) -> Bool {
        try session.execute(
            """
            UPDATE application_submission SET start_time = ?, driver_core = ?, driver_memory_mb = ?, \
            number_executor = ?, executor_core = ?, executor_memory_mb = ?, dag_name = ?, task_name = ?, \
            app_name = COALESCE(?, app_name) WHERE submission_id = ? AND start_time IS NULL
            """,
            [
                .text(StoreTime.seconds(info.startTime)), SQLValue(info.driverCores), SQLValue(info.driverMemoryMb),
                SQLValue(info.executorInstances), SQLValue(info.executorCores), SQLValue(info.executorMemoryMb),
                SQLValue(info.dagName), SQLValue(info.taskName), SQLValue(info.appName), .text(id),
            ]) > 0
    }

    /// Writes the observed columns when the observation is not older than the stored one; an adoption
    /// first creates the row if missing (BPG's rows exist already and only get the empty columns filled).
    static func recordObservation(_ session: any SQLSession, _ observed: ObservedApplication) throws(SQLError) {
        let id = observed.submissionId
        try session.transaction { () throws(SQLError) in
            if let adoption = observed.adoption {
                try session.execute(
                    "\(session.dialect.insertIgnore) application_submission (submission_id, `user`, queue, resolved_queue, "
                        + "cluster_id, namespace, created_time, status_version) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                    [
                        .text(id), SQLValue(adoption.user), SQLValue(adoption.queue),
                        SQLValue(adoption.queue), .text(adoption.clusterId), .text(adoption.namespace),
                        .text(StoreTime.seconds(adoption.createdTime)),
                    ])
                try session.execute(
                    "UPDATE application_submission SET `user` = COALESCE(`user`, ?), resolved_queue = COALESCE(resolved_queue, ?), "
                        + "cluster_id = COALESCE(cluster_id, ?), namespace = COALESCE(namespace, ?) WHERE submission_id = ?",
                    [
                        SQLValue(adoption.user), SQLValue(adoption.queue), .text(adoption.clusterId),
                        .text(adoption.namespace), .text(id),
                    ])
            }
            try session.execute(
                """
                UPDATE application_submission SET observed_version = ?, observed_created_ms = ?, termination_ms = ?, \
                execution_attempts = ?, submission_attempts = ?, application_error_message = ?, max_running_millis = ?, \
                driver_pod_name = COALESCE(?, driver_pod_name) WHERE submission_id = ? AND observed_version <= ?
                """,
                [
                    .integer(observed.version), SQLValue(observed.createdMillis), SQLValue(observed.terminationMillis),
                    SQLValue(observed.executionAttempts), SQLValue(observed.submissionAttempts),
                    SQLValue(observed.errorMessage), SQLValue(observed.maxRunningMillis),
                    SQLValue(observed.driverPodName), .text(id), .integer(observed.version),
                ])
        }
    }

    static func recordNote(_ session: any SQLSession, _ id: String, _ note: String) throws(SQLError) {
        try session.execute("UPDATE application_submission SET note = ? WHERE submission_id = ?", [.text(note), .text(id)])
    }

    static func markFinished(
        _ session: any SQLSession, _ id: String, _ status: String, _ finishedTime: Date, _ version: Int64,
        _ rates: CostRates?, now: Date
    ) throws(SQLError) -> Bool {
        try session.transaction { () throws(SQLError) -> Bool in
            if try load(session, id, locking: true) == nil {
                // BPG's finish is an upsert: the monitor may see the end of an app the gateway never
                // recorded (or whose insert is not visible yet); keep a placeholder for it.
                try session.execute(
                    "\(session.dialect.insertIgnore) application_submission (submission_id, created_time, status_version) "
                        + "VALUES (?, ?, 0)", [.text(id), .text(StoreTime.seconds(now))])
            }
            guard let record = try load(session, id, locking: true) else { return false }
            switch record.finishRule(status: status, finishedTime: finishedTime, observedVersion: version) {
            case .reject: return false
            case .alreadyApplied: return true
            case .apply: break
            }
            let cost = rates?.cost(of: record, finishedTime: finishedTime)
            try session.execute(
                "UPDATE application_submission SET status = ?, status_version = ?, updated_time = ?, "
                    + "finished_time = ?, cost = ? WHERE submission_id = ?",
                [
                    .text(status), .integer(max(version, record.statusVersion)), .text(StoreTime.micros(finishedTime)),
                    .text(StoreTime.seconds(finishedTime)), cost.map { .text("\($0)") } ?? .null, .text(id),
                ])
            if record.status != status {
                try appendChange(session, record, status, version, finishedTime, message: record.observedMessage(for: status))
            }
            return true
        }
    }

    static func addLogIndexEntry(_ session: any SQLSession, _ entry: LogIndexEntry) throws(SQLError) {
        try session.execute(
            "\(session.dialect.insertIgnore) logindex (logs3key, `date`, `hour`, containerId) VALUES (?, ?, ?, ?)",
            [.text(entry.logS3Key), .text(entry.date), .integer(Int64(entry.hour)), .text(entry.containerId)])
    }

    // MARK: Leases

    private static func lease(_ name: String, _ row: SQLRow) -> Lease {
        Lease(
            name: name, holder: row.string(0) ?? "", expiresAt: StoreTime.date(microseconds: row.int64(1) ?? 0),
            token: row.int64(2) ?? 0)
    }

    /// `mode`: acquire (take if free, expired or ours), renew (only if ours and unexpired), release.
    enum LeaseChange { case acquire(Duration), renew(Duration), release }

    static func changeLease(_ session: any SQLSession, name: String, holder: String, _ change: LeaseChange)
        throws(SQLError) -> Lease?
    {
        // Outside the transaction: in MySQL an INSERT IGNORE that hits the row takes a shared lock,
        // and several contenders upgrading theirs to FOR UPDATE would deadlock.
        try session.execute(
            "\(session.dialect.insertIgnore) gateway_lease (name, holder, expires_at_us, token) VALUES (?, '', 0, 0)",
            [.text(name)])
        return try session.transaction { () throws(SQLError) -> Lease? in
            guard
                let row = try session.query(
                    "SELECT holder, expires_at_us, token FROM gateway_lease WHERE name = ?\(session.dialect.forUpdate)",
                    [.text(name)]
                ).first
            else { return nil }
            let current = lease(name, row)
            let now = try session.currentMicroseconds()
            let live = StoreTime.microseconds(current.expiresAt) > now
            let ours = current.holder == holder && live
            var next = current
            switch change {
            case .acquire(let duration):
                guard ours || !live else { return nil }
                next.holder = holder
                next.token = ours ? current.token : current.token + 1
                next.expiresAt = StoreTime.date(microseconds: now + duration.microseconds)
            case .renew(let duration):
                guard ours else { return nil }
                next.expiresAt = StoreTime.date(microseconds: now + duration.microseconds)
            case .release:
                guard ours else { return nil }
                next.expiresAt = Date(timeIntervalSince1970: 0)
            }
            try session.execute(
                "UPDATE gateway_lease SET holder = ?, expires_at_us = ?, token = ? WHERE name = ?",
                [.text(next.holder), .integer(StoreTime.microseconds(next.expiresAt)), .integer(next.token), .text(name)])
            return next
        }
    }

    static func currentLease(_ session: any SQLSession, name: String) throws(SQLError) -> Lease? {
        guard
            let row = try session.query(
                "SELECT holder, expires_at_us, token FROM gateway_lease WHERE name = ?", [.text(name)]
            ).first
        else { return nil }
        let current = lease(name, row)
        return StoreTime.microseconds(current.expiresAt) > (try session.currentMicroseconds()) ? current : nil
    }
}

extension Duration {
    var microseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
    }
}
