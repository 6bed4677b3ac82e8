import Foundation
import Logging
import Synchronization

/// The `SubmissionStore` in MySQL (Aurora MySQL, MySQL 8, MariaDB) over MariaDB Connector/C.
///
/// Every statement is a server-side prepared statement, cached per connection; connections live
/// in a bounded pool, each on its own thread. Operations that lose their connection (a server
/// restart, a failover) are retried within `retryWindow` on a fresh connection; every operation is
/// written to be safe to repeat, so a retry never duplicates or reverts anything.
///
/// ```swift
/// let settings = try MySQLSettings(url: "mysql://bpg:secret@db.internal:3306/bpg?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/rds-ca.pem")
/// let store = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings))
/// ```
public final class MySQLSubmissionStore: SubmissionStore {
    private let pool: MySQLConnectionPool
    private let retryWindow: Duration
    private let closed = Atomic<Bool>(false)
    private let logger: Logger
    /// Where the store connects (the password redacted).
    public let settingsDescription: String

    private init(pool: MySQLConnectionPool, configuration: MySQLStoreConfiguration) {
        self.pool = pool
        self.retryWindow = configuration.retryWindow
        self.logger = configuration.logger
        self.settingsDescription = configuration.settings.description
    }

    /// Connects, creates the database if allowed and missing, and applies migrations under
    /// `GET_LOCK`, so replicas starting together migrate once. Retries an unreachable server within
    /// the retry window.
    public static func open(_ configuration: MySQLStoreConfiguration) async throws -> MySQLSubmissionStore {
        let settings = configuration.settings
        try settings.validate()
        let pool = MySQLConnectionPool(
            settings: settings, size: configuration.poolSize, validationInterval: configuration.validationInterval,
            logger: configuration.logger)
        let store = MySQLSubmissionStore(pool: pool, configuration: configuration)
        let database = settings.database
        let create = configuration.createDatabase
        let logger = configuration.logger
        // The pool's connections select the database when they connect, which fails while it does
        // not exist: bootstrap on a connection (and thread) of its own.
        let bootstrap = DedicatedThread<ConnectionSlot<MySQLConnection>>(
            name: "bpg-mysql-bootstrap", makeResource: { MySQLLibrary.threadStart(); return ConnectionSlot() },
            onExit: { MySQLLibrary.threadEnd() })
        do {
            let applied = try await retrying("open", write: false, window: configuration.retryWindow, logger: logger, isClosed: { false }) {
                try await bootstrap.run { _ in
                    try Self.bootstrap(settings, create: create, logger: logger)
                }
            }
            await bootstrap.stop()
            if !applied.isEmpty {
                logger.info("applied MySQL schema migrations", metadata: ["versions": "\(applied)", "database": database])
            }
        } catch {
            await bootstrap.stop()
            await pool.shutdown()
            throw error
        }
        return store
    }

    private static func bootstrap(_ settings: MySQLSettings, create: Bool, logger: Logger) throws(SQLError) -> [Int] {
        let connection = try MySQLConnection(settings, selectDatabase: false)
        if create {
            try connection.createAndSelect(database: settings.database)
        } else {
            try connection.executeOnce("USE `\(settings.database)`")
        }
        return try Migrator.migrate(
            connection, SchemaMigrations.mysql, lockName: "bpg_migrations_\(settings.database)", logger: logger)
    }

    private func perform<T: Sendable>(
        _ operation: String, write: Bool, _ body: @escaping @Sendable (MySQLConnection) throws(SQLError) -> T
    ) async throws -> T {
        let pool = self.pool
        return try await Self.retrying(
            operation, write: write, window: retryWindow, logger: logger,
            isClosed: { [self] in closed.load(ordering: .acquiring) }
        ) {
            try await pool.withConnection(body)
        }
    }

    /// Runs `attempt` until it succeeds, fails for a reason retrying cannot fix, or `window` ends.
    private static func retrying<T: Sendable>(
        _ operation: String, write: Bool, window: Duration, logger: Logger, isClosed: @Sendable () -> Bool,
        _ attempt: () async throws -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + window
        var delay = Duration.milliseconds(20)
        var maybeApplied = false
        while true {
            guard !isClosed() else { throw StoreError(.closed, operation: operation, message: "the store was shut down") }
            do {
                return try await attempt()
            } catch let error as SQLError {
                // A write whose connection broke may have committed before the reply was lost.
                if write && error.kind == .connectionLost { maybeApplied = true }
                let retryable = error.kind == .connectionLost || error.kind == .connectFailed || error.kind == .transient
                if retryable, clock.now + delay < deadline, !isClosed() {
                    logger.debug(
                        "retrying a MySQL operation",
                        metadata: ["operation": operation, "code": "\(error.code)", "function": error.function])
                    try await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(1))
                    continue
                }
                if retryable && maybeApplied {
                    throw StoreError(
                        .outcomeUnknown, operation: operation, function: error.function, code: error.code,
                        message: "the connection broke after the write was sent and the server stayed unreachable: \(error.message)")
                }
                if error.kind == .duplicateKey {
                    throw StoreError(.conflict, operation: operation, function: error.function, code: error.code, message: error.message)
                }
                throw error.storeError(operation: operation)
            } catch is CancellationError where isClosed() {
                throw StoreError(.closed, operation: operation, message: "the store was shut down")
            }
        }
    }

    public func insertSubmission(_ submission: NewSubmission) async throws -> InsertOutcome {
        try await perform("insertSubmission", write: true) { connection throws(SQLError) in
            try SubmissionOperations.insert(connection, submission)
        }
    }

    public func markCreated(submissionId: String, at time: Date) async throws -> Bool {
        try await perform("markCreated", write: true) { connection throws(SQLError) in
            try SubmissionOperations.markCreated(connection, submissionId, time)
        }
    }

    public func markSubmissionFailed(submissionId: String, error: String, at time: Date) async throws -> Bool {
        try await perform("markSubmissionFailed", write: true) { connection throws(SQLError) in
            try SubmissionOperations.markSubmissionFailed(connection, submissionId, error, time)
        }
    }

    public func markOutcomeUnknown(submissionId: String, error: String, at time: Date) async throws -> Bool {
        try await perform("markOutcomeUnknown", write: true) { connection throws(SQLError) in
            try SubmissionOperations.markOutcomeUnknown(connection, submissionId, error, time)
        }
    }

    public func fence(submissionId: String, reason: String, at time: Date) async throws -> Bool {
        try await perform("fence", write: true) { connection throws(SQLError) in
            try SubmissionOperations.fence(connection, submissionId, reason, time)
        }
    }

    public func updateStatus(submissionId: String, status: String, observedVersion: Int64, at time: Date) async throws
        -> Bool
    {
        try await perform("updateStatus", write: true) { connection throws(SQLError) in
            try SubmissionOperations.updateStatus(connection, submissionId, status, observedVersion, time)
        }
    }

    public func recordAppId(submissionId: String, appId: String) async throws {
        try await perform("recordAppId", write: true) { connection throws(SQLError) in
            try SubmissionOperations.recordAppId(connection, submissionId, appId, now: Date())
        }
    }

    public func recordJobInfo(submissionId: String, _ info: JobInfo) async throws -> Bool {
        try await perform("recordJobInfo", write: true) { connection throws(SQLError) in
            try SubmissionOperations.recordJobInfo(connection, submissionId, info)
        }
    }

    public func recordObservation(_ observed: ObservedApplication) async throws {
        try await perform("recordObservation", write: true) { connection throws(SQLError) in
            try SubmissionOperations.recordObservation(connection, observed)
        }
    }

    public func recordNote(submissionId: String, note: String) async throws {
        try await perform("recordNote", write: true) { connection throws(SQLError) in
            try SubmissionOperations.recordNote(connection, submissionId, note)
        }
    }

    public func markFinished(
        submissionId: String, status: String, finishedTime: Date, observedVersion: Int64, rates: CostRates?
    ) async throws -> Bool {
        try await perform("markFinished", write: true) { connection throws(SQLError) in
            try SubmissionOperations.markFinished(
                connection, submissionId, status, finishedTime, observedVersion, rates, now: Date())
        }
    }

    public func submission(id: String) async throws -> SubmissionRecord? {
        try await perform("submission", write: false) { connection throws(SQLError) in
            try SubmissionOperations.load(connection, id)
        }
    }

    public func submission(appId: String) async throws -> SubmissionRecord? {
        try await perform("submissionByAppId", write: false) { connection throws(SQLError) in
            try SubmissionOperations.byAppId(connection, appId)
        }
    }

    public func submission(user: String, idempotencyKey: String) async throws -> SubmissionRecord? {
        try await perform("submissionByIdempotencyKey", write: false) { connection throws(SQLError) in
            try SubmissionOperations.byIdempotencyKey(connection, user: user, key: idempotencyKey)
        }
    }

    public func statusHistory(submissionId: String) async throws -> [StatusTransition] {
        try await perform("statusHistory", write: false) { connection throws(SQLError) in
            try SubmissionOperations.history(connection, submissionId)
        }
    }

    public func listSubmissions(_ query: SubmissionQuery) async throws -> SubmissionPage {
        let (limit, cursor) = try query.validated(operation: "listSubmissions")
        return try await perform("listSubmissions", write: false) { connection throws(SQLError) in
            try SubmissionOperations.list(connection, query, limit: limit, cursor: cursor)
        }
    }

    public func logKeys(containerId: String) async throws -> [String] {
        try await perform("logKeys", write: false) { connection throws(SQLError) in
            try SubmissionOperations.logKeys(connection, containerId)
        }
    }

    public func addLogIndexEntry(_ entry: LogIndexEntry) async throws {
        try await perform("addLogIndexEntry", write: true) { connection throws(SQLError) in
            try SubmissionOperations.addLogIndexEntry(connection, entry)
        }
    }

    public func enqueueLogArchive(_ task: LogArchiveTask) async throws -> Bool {
        let now = Date()
        return try await perform("enqueueLogArchive", write: true) { connection throws(SQLError) in
            try LogArchiveOperations.enqueue(connection, task, at: now)
        }
    }

    public func claimLogArchives(clusterId: String, holder: String, now: Date, claimFor: Duration, limit: Int) async throws
        -> [LogArchiveTask]
    {
        try await perform("claimLogArchives", write: true) { connection throws(SQLError) in
            try LogArchiveOperations.claim(
                connection, clusterId: clusterId, holder: holder, now: now, claimFor: claimFor, limit: limit)
        }
    }

    public func completeLogArchive(containerId: String, at time: Date) async throws -> Bool {
        try await perform("completeLogArchive", write: true) { connection throws(SQLError) in
            try LogArchiveOperations.complete(connection, containerId, at: time)
        }
    }

    public func deferLogArchive(containerId: String, holder: String, _ setback: LogArchiveSetback, at time: Date) async throws
        -> Bool
    {
        try await perform("deferLogArchive", write: true) { connection throws(SQLError) in
            try LogArchiveOperations.setBack(connection, containerId, holder: holder, setback, at: time)
        }
    }

    public func logArchives(submissionId: String) async throws -> [LogArchiveTask] {
        try await perform("logArchives", write: false) { connection throws(SQLError) in
            try LogArchiveOperations.bySubmission(connection, submissionId)
        }
    }

    public func livyBatchId(forSubmission submissionId: String, at time: Date) async throws -> Int64 {
        try await perform("livyBatchId", write: true) { connection throws(SQLError) in
            try SubmissionOperations.livyBatchId(connection, submissionId, time)
        }
    }

    public func livyBatch(id batchId: Int64) async throws -> LivyBatch? {
        try await perform("livyBatch", write: false) { connection throws(SQLError) in
            try SubmissionOperations.livyBatch(connection, batchId)
        }
    }

    public func livyBatches(user: String?, from: Int, size: Int) async throws -> LivyBatchPage {
        try await perform("livyBatches", write: false) { connection throws(SQLError) in
            try SubmissionOperations.livyBatches(connection, user: user, from: from, size: size)
        }
    }

    public func acquireLease(name: String, holder: String, duration: Duration) async throws -> Lease? {
        try await perform("acquireLease", write: true) { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .acquire(duration))
        }
    }

    public func renewLease(name: String, holder: String, duration: Duration) async throws -> Lease? {
        try await perform("renewLease", write: true) { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .renew(duration))
        }
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await perform("releaseLease", write: true) { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .release) != nil
        }
    }

    public func currentLease(name: String) async throws -> Lease? {
        try await perform("currentLease", write: false) { connection throws(SQLError) in
            try SubmissionOperations.currentLease(connection, name: name)
        }
    }

    /// The connection pool's current use (`bpg_store_pool_connections` in the gateway's metrics).
    public var poolStatistics: StorePoolStatistics? { pool.statistics }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await pool.shutdown()
    }
}
