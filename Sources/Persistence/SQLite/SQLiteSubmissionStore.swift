import Foundation
import Logging
import Synchronization

/// The `SubmissionStore` in an embedded SQLite file: one gateway on one machine, and dev mode.
///
/// One writer connection on its own thread serialises every write (SQLite allows one writer);
/// reads go to separate read-only connections, which WAL mode lets run beside the writer.
///
/// ```swift
/// let store = try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: "/var/lib/bpg/bpg.sqlite"))
/// ```
public final class SQLiteSubmissionStore: SubmissionStore {
    /// The file used when no database is configured: `bpg-data/bpg.sqlite` under the working directory.
    public static var defaultPath: String {
        FileManager.default.currentDirectoryPath + "/bpg-data/bpg.sqlite"
    }

    /// The database file in use.
    public let path: String
    private let writer: DedicatedThread<ConnectionSlot<SQLiteConnection>>
    private let readers: [DedicatedThread<ConnectionSlot<SQLiteConnection>>]
    private let nextReader = Atomic<Int>(0)
    private let closed = Atomic<Bool>(false)
    private let logger: Logger

    private init(
        path: String, writer: DedicatedThread<ConnectionSlot<SQLiteConnection>>,
        readers: [DedicatedThread<ConnectionSlot<SQLiteConnection>>], logger: Logger
    ) {
        self.path = path
        self.writer = writer
        self.readers = readers
        self.logger = logger
    }

    /// Opens (creating if needed) the database file, applies migrations, and starts the threads.
    public static func open(_ configuration: SQLiteStoreConfiguration = SQLiteStoreConfiguration()) async throws
        -> SQLiteSubmissionStore
    {
        let path = configuration.path
        guard !path.isEmpty else {
            throw StoreError(.configuration, operation: "open", message: "path: the SQLite file path is empty")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    .configuration, operation: "open", function: "mkdir",
                    message: "path: cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
        let logger = configuration.logger
        let busyTimeout = configuration.busyTimeout
        let writer = DedicatedThread<ConnectionSlot<SQLiteConnection>>(name: "bpg-sqlite-writer") { ConnectionSlot() }
        var readers: [DedicatedThread<ConnectionSlot<SQLiteConnection>>] = []
        do {
            let applied = try await writer.run { slot in
                let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: busyTimeout)
                slot.connection = connection
                return try Migrator.migrate(connection, SchemaMigrations.sqlite, lockName: "", logger: logger)
            }
            if !applied.isEmpty { logger.info("applied SQLite schema migrations", metadata: ["versions": "\(applied)", "path": path]) }
            for index in 0..<max(1, configuration.readerCount) {
                let reader = DedicatedThread<ConnectionSlot<SQLiteConnection>>(name: "bpg-sqlite-reader-\(index)") {
                    ConnectionSlot()
                }
                readers.append(reader)
                try await reader.run { slot in
                    slot.connection = try SQLiteConnection(path: path, readOnly: true, busyTimeout: busyTimeout)
                }
            }
        } catch {
            await writer.stop()
            for reader in readers { await reader.stop() }
            throw (error as? SQLError)?.storeError(operation: "open") ?? error
        }
        return SQLiteSubmissionStore(path: path, writer: writer, readers: readers, logger: logger)
    }

    private func perform<T: Sendable>(
        _ operation: String, on thread: DedicatedThread<ConnectionSlot<SQLiteConnection>>,
        _ body: @escaping @Sendable (SQLiteConnection) throws(SQLError) -> T
    ) async throws -> T {
        guard !closed.load(ordering: .acquiring) else {
            throw StoreError(.closed, operation: operation, message: "the store was shut down")
        }
        do {
            return try await thread.run { slot in
                guard let connection = slot.connection else {
                    throw SQLError(kind: .other, function: "open", code: 0, message: "the connection is closed")
                }
                return try body(connection)
            }
        } catch let error as SQLError {
            logger.debug("SQLite operation failed", metadata: ["operation": operation, "code": "\(error.code)"])
            if error.kind == .duplicateKey {
                throw StoreError(.conflict, operation: operation, function: error.function, code: error.code, message: error.message)
            }
            throw error.storeError(operation: operation)
        } catch is CancellationError {
            throw StoreError(.closed, operation: operation, message: "the store was shut down")
        }
    }

    private func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (SQLiteConnection) throws(SQLError) -> T)
        async throws -> T
    {
        try await perform(operation, on: writer, body)
    }

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (SQLiteConnection) throws(SQLError) -> T)
        async throws -> T
    {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await perform(operation, on: readers[index % readers.count], body)
    }

    public func insertSubmission(_ submission: NewSubmission) async throws -> InsertOutcome {
        try await write("insertSubmission") { connection throws(SQLError) in
            try SubmissionOperations.insert(connection, submission)
        }
    }

    public func markCreated(submissionId: String, at time: Date) async throws -> Bool {
        try await write("markCreated") { connection throws(SQLError) in
            try SubmissionOperations.markCreated(connection, submissionId, time)
        }
    }

    public func markSubmissionFailed(submissionId: String, error: String, at time: Date) async throws -> Bool {
        try await write("markSubmissionFailed") { connection throws(SQLError) in
            try SubmissionOperations.markSubmissionFailed(connection, submissionId, error, time)
        }
    }

    public func markOutcomeUnknown(submissionId: String, error: String, at time: Date) async throws -> Bool {
        try await write("markOutcomeUnknown") { connection throws(SQLError) in
            try SubmissionOperations.markOutcomeUnknown(connection, submissionId, error, time)
        }
    }

    public func fence(submissionId: String, reason: String, at time: Date) async throws -> Bool {
        try await write("fence") { connection throws(SQLError) in
            try SubmissionOperations.fence(connection, submissionId, reason, time)
        }
    }

    public func updateStatus(submissionId: String, status: String, observedVersion: Int64, at time: Date) async throws
        -> Bool
    {
        try await write("updateStatus") { connection throws(SQLError) in
            try SubmissionOperations.updateStatus(connection, submissionId, status, observedVersion, time)
        }
    }

    public func recordAppId(submissionId: String, appId: String) async throws {
        try await write("recordAppId") { connection throws(SQLError) in
            try SubmissionOperations.recordAppId(connection, submissionId, appId, now: Date())
        }
    }

    public func recordJobInfo(submissionId: String, _ info: JobInfo) async throws -> Bool {
        try await write("recordJobInfo") { connection throws(SQLError) in
            try SubmissionOperations.recordJobInfo(connection, submissionId, info)
        }
    }

    public func recordObservation(_ observed: ObservedApplication) async throws {
        try await write("recordObservation") { connection throws(SQLError) in
            try SubmissionOperations.recordObservation(connection, observed)
        }
    }

    public func recordNote(submissionId: String, note: String) async throws {
        try await write("recordNote") { connection throws(SQLError) in
            try SubmissionOperations.recordNote(connection, submissionId, note)
        }
    }

    public func markFinished(
        submissionId: String, status: String, finishedTime: Date, observedVersion: Int64, rates: CostRates?
    ) async throws -> Bool {
        try await write("markFinished") { connection throws(SQLError) in
            try SubmissionOperations.markFinished(
                connection, submissionId, status, finishedTime, observedVersion, rates, now: Date())
        }
    }

    public func submission(id: String) async throws -> SubmissionRecord? {
        try await read("submission") { connection throws(SQLError) in try SubmissionOperations.load(connection, id) }
    }

    public func submission(appId: String) async throws -> SubmissionRecord? {
        try await read("submissionByAppId") { connection throws(SQLError) in
            try SubmissionOperations.byAppId(connection, appId)
        }
    }

    public func submission(user: String, idempotencyKey: String) async throws -> SubmissionRecord? {
        try await read("submissionByIdempotencyKey") { connection throws(SQLError) in
            try SubmissionOperations.byIdempotencyKey(connection, user: user, key: idempotencyKey)
        }
    }

    public func statusHistory(submissionId: String) async throws -> [StatusTransition] {
        try await read("statusHistory") { connection throws(SQLError) in
            try SubmissionOperations.history(connection, submissionId)
        }
    }

    public func listSubmissions(_ query: SubmissionQuery) async throws -> SubmissionPage {
        let (limit, cursor) = try query.validated(operation: "listSubmissions")
        return try await read("listSubmissions") { connection throws(SQLError) in
            try SubmissionOperations.list(connection, query, limit: limit, cursor: cursor)
        }
    }

    public func logKeys(containerId: String) async throws -> [String] {
        try await read("logKeys") { connection throws(SQLError) in
            try SubmissionOperations.logKeys(connection, containerId)
        }
    }

    public func addLogIndexEntry(_ entry: LogIndexEntry) async throws {
        try await write("addLogIndexEntry") { connection throws(SQLError) in
            try SubmissionOperations.addLogIndexEntry(connection, entry)
        }
    }

    public func enqueueLogArchive(_ task: LogArchiveTask) async throws -> Bool {
        let now = Date()
        return try await write("enqueueLogArchive") { connection throws(SQLError) in
            try LogArchiveOperations.enqueue(connection, task, at: now)
        }
    }

    public func claimLogArchives(clusterId: String, holder: String, now: Date, claimFor: Duration, limit: Int) async throws
        -> [LogArchiveTask]
    {
        try await write("claimLogArchives") { connection throws(SQLError) in
            try LogArchiveOperations.claim(
                connection, clusterId: clusterId, holder: holder, now: now, claimFor: claimFor, limit: limit)
        }
    }

    public func completeLogArchive(containerId: String, at time: Date) async throws -> Bool {
        try await write("completeLogArchive") { connection throws(SQLError) in
            try LogArchiveOperations.complete(connection, containerId, at: time)
        }
    }

    public func deferLogArchive(containerId: String, holder: String, _ setback: LogArchiveSetback, at time: Date) async throws
        -> Bool
    {
        try await write("deferLogArchive") { connection throws(SQLError) in
            try LogArchiveOperations.setBack(connection, containerId, holder: holder, setback, at: time)
        }
    }

    public func logArchives(submissionId: String) async throws -> [LogArchiveTask] {
        try await read("logArchives") { connection throws(SQLError) in
            try LogArchiveOperations.bySubmission(connection, submissionId)
        }
    }

    public func livyBatchId(forSubmission submissionId: String, at time: Date) async throws -> Int64 {
        try await write("livyBatchId") { connection throws(SQLError) in
            try SubmissionOperations.livyBatchId(connection, submissionId, time)
        }
    }

    public func livyBatch(id batchId: Int64) async throws -> LivyBatch? {
        try await read("livyBatch") { connection throws(SQLError) in
            try SubmissionOperations.livyBatch(connection, batchId)
        }
    }

    public func livyBatches(user: String?, from: Int, size: Int) async throws -> LivyBatchPage {
        try await read("livyBatches") { connection throws(SQLError) in
            try SubmissionOperations.livyBatches(connection, user: user, from: from, size: size)
        }
    }

    public func acquireLease(name: String, holder: String, duration: Duration) async throws -> Lease? {
        try await write("acquireLease") { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .acquire(duration))
        }
    }

    public func renewLease(name: String, holder: String, duration: Duration) async throws -> Lease? {
        try await write("renewLease") { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .renew(duration))
        }
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await write("releaseLease") { connection throws(SQLError) in
            try SubmissionOperations.changeLease(connection, name: name, holder: holder, .release) != nil
        }
    }

    public func currentLease(name: String) async throws -> Lease? {
        try await read("currentLease") { connection throws(SQLError) in
            try SubmissionOperations.currentLease(connection, name: name)
        }
    }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await writer.stop()
        for reader in readers { await reader.stop() }
    }
}
