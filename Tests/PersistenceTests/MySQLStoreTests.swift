import CGatewayShims
import Foundation
import TestSupport
import Logging
import Synchronization
import Testing

@testable import Persistence

/// Runs fixed SQL on a connection of its own thread (tests only: BPG's DDL and BPG's statements).
func withRawMySQL<T: Sendable>(
    _ settings: MySQLSettings, selectDatabase: Bool = true,
    _ body: @escaping @Sendable (MySQLConnection) throws(SQLError) -> T
) async throws -> T {
    let thread = DedicatedThread<ConnectionSlot<MySQLConnection>>(
        name: "test-mysql", makeResource: { MySQLLibrary.threadStart(); return ConnectionSlot() },
        onExit: { MySQLLibrary.threadEnd() })
    do {
        let result = try await thread.run { _ in
            let connection = try MySQLConnection(settings, selectDatabase: selectDatabase)
            return try body(connection)
        }
        await thread.stop()
        return result
    } catch {
        await thread.stop()
        throw error
    }
}

/// A MariaDB server of the test's own, started with the control script the test command exports
/// (`BPG_TEST_MARIADB_CONTROL`), so tests that stop or restart a server never disturb the shared one
/// other tests are using.
struct PrivateMariaDB {
    let control: String
    let directory: String
    let port: Int

    /// Runs `body` with a fresh private server and always stops and removes it afterwards.
    static func with<T>(_ body: (PrivateMariaDB) async throws -> T) async throws -> T {
        let server = try await start()
        do {
            let result = try await body(server)
            await server.remove()
            return result
        } catch {
            await server.remove()
            throw error
        }
    }

    static func start() async throws -> PrivateMariaDB {
        let control = try TestEnvironment.variable("BPG_TEST_MARIADB_CONTROL")
        let directory = NSTemporaryDirectory() + "bpg-store-mariadb-\(UUID().uuidString)"
        let server = PrivateMariaDB(control: control, directory: directory, port: try freePortBelowEphemeralRange())
        let status = try await server.control("start")
        guard status == 0 else {
            await server.remove()
            throw TestEnvironment.MissingVariable(name: "a private MariaDB (start exited \(status))")
        }
        return server
    }

    var settings: MySQLSettings {
        MySQLSettings(host: "127.0.0.1", port: port, user: "bpg", password: "bpg-test", database: TestEnvironment.uniqueDatabaseName())
    }

    /// Stops the server and removes its files.
    func remove() async {
        _ = try? await control("stop")
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `throwaway-mariadb.sh COMMAND DIR PORT` (start, stop, restart) on a thread of its own
    /// (posix_spawn + waitpid block) and returns its exit status.
    func control(_ command: String) async throws -> Int32 {
        let arguments = ["/bin/bash", control, command, directory, String(port)]
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
                defer { for pointer in argv { free(pointer) } }
                // The server it starts must not inherit other tests' sockets (it would keep their
                // connections open after they closed them).
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                gw_spawn_file_actions_addclosefrom(&actions, 3)
                var pid: pid_t = 0
                guard posix_spawn(&pid, "/bin/bash", &actions, nil, &argv, environ) == 0 else {
                    continuation.resume(returning: -1)
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: (status >> 8) & 0xff)
            }
            thread.start()
        }
    }

}

@Suite struct MySQLStoreTests {
    /// A database made with BPG's DDL (`BPGSchema.mysqlDDL`), in a latin1 schema as an old server
    /// default would have made it, filled with BPG's own statements.
    @Test func databaseCreatedByBPGIsMigratedAndKeepsItsRows() async throws {
        let settings = try TestEnvironment.mysqlSettings()
        let database = settings.database
        try await withRawMySQL(settings, selectDatabase: false) { connection throws(SQLError) in
            try connection.executeOnce("CREATE DATABASE `\(database)` CHARACTER SET latin1")
            try connection.executeOnce("USE `\(database)`")
            for statement in BPGSchema.mysqlDDL { try connection.executeOnce(statement) }
            // BPG's submit, app id, status, job info and finish statements, as BPG's LogDao writes them.
            let submit = """
                INSERT INTO application_submission (submission_id, `user`, spark_version, request_body, queue) \
                VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE `user`=?, spark_version=?, request_body=?, queue=?
                """
            for (id, user) in [("bpg-1", "user1"), ("bpg-2", "user2"), ("bpg-3", "user3")] {
                try connection.execute(
                    submit, [.text(id), .text(user), .text("3.5"), .text(#"{"queueToken":"***"}"#), .text("poc"),
                             .text(user), .text("3.5"), .text(#"{"queueToken":"***"}"#), .text("poc")])
            }
            try connection.execute(
                "INSERT INTO application_submission (submission_id, app_id) VALUES (?,?) ON DUPLICATE KEY UPDATE app_id=?",
                [.text("bpg-1"), .text("spark-app-1"), .text("spark-app-1")])
            try connection.execute(
                "UPDATE application_submission SET status=? WHERE submission_id=? AND finished_time IS NULL",
                [.text("RUNNING"), .text("bpg-1")])
            try connection.execute(
                """
                UPDATE application_submission SET start_time=?, driver_core=?, driver_memory_mb=?, number_executor=?, \
                dag_name=?, task_name=?, app_name=? WHERE submission_id=? AND start_time IS NULL
                """,
                [.text("2000-01-01 01:01:01"), .integer(4), .integer(4096), .integer(10), .text("dag"), .text("task"),
                 .text("spark_app_name_1"), .text("bpg-2")])
            try connection.execute(
                "UPDATE application_submission SET executor_core=?, executor_memory_mb=? WHERE submission_id=?",
                [.integer(1), .integer(1024), .text("bpg-2")])
            try connection.execute(
                """
                INSERT INTO application_submission (submission_id, status, finished_time) VALUES (?,?,?) \
                ON DUPLICATE KEY UPDATE status=?, finished_time=?, cost=((executor_memory_mb*number_executor + \
                driver_memory_mb)*? + (executor_core*number_executor + driver_core)*?) * \
                (TIMESTAMPDIFF(second,start_time,finished_time))
                """,
                [.text("bpg-2"), .text("COMPLETED"), .text("2000-01-01 01:02:41"), .text("COMPLETED"),
                 .text("2000-01-01 01:02:41"), .real(0.0001), .real(0.01)])
            try connection.execute(
                "INSERT IGNORE INTO logindex (logs3key, date, `hour`, containerId) VALUES (?, ?, ?, ?)",
                [.text("logs/bpg-2/driver/0"), .text("2000-01-01"), .integer(1), .text("bpg-2-driver")])
        }

        try await withStore(for: settings) { store in
            let running = try #require(try await store.submission(id: "bpg-1"))
            #expect(running.user == "user1")
            #expect(running.appId == "spark-app-1")
            #expect(running.status == "RUNNING")
            #expect(running.statusVersion == 0)
            #expect(running.requestBody == #"{"queueToken":"***"}"#)
            let finished = try #require(try await store.submission(id: "bpg-2"))
            #expect(finished.status == "COMPLETED")
            #expect(finished.startTime == second(946_688_461))
            #expect(finished.finishedTime == second(946_688_561))
            #expect(finished.cost == Decimal(string: "157.36"))
            #expect(finished.dagName == "dag")
            #expect(try await store.submission(id: "bpg-3")?.status == nil)
            #expect(try await store.submission(appId: "spark-app-1")?.submissionId == "bpg-1")
            #expect(try await store.logKeys(containerId: "bpg-2-driver") == ["logs/bpg-2/driver/0"])
            // Old rows follow the new rules: the running one moves on, the finished one is frozen.
            #expect(try await store.updateStatus(submissionId: "bpg-1", status: "COMPLETED", observedVersion: 1, at: Date()))
            #expect(!(try await store.updateStatus(submissionId: "bpg-2", status: "RUNNING", observedVersion: 1, at: Date())))
            // The schema now takes 4-byte characters and large bodies.
            let body = "🚀" + String(repeating: "x", count: 100_000)
            _ = try await store.insertSubmission(submission("new-1", body: body))
            #expect(try await store.submission(id: "new-1")?.requestBody == body)
            #expect(try await store.listSubmissions(SubmissionQuery(limit: 100)).records.count == 4)
        }
        // BPG's reporting query still runs on the migrated table.
        let rows = try await withRawMySQL(settings) { connection throws(SQLError) in
            try connection.query(
                """
                SELECT *, TIMESTAMPDIFF(second, created_time, COALESCE(finished_time, NOW())) AS duration \
                FROM application_submission WHERE status = ? ORDER BY created_time DESC LIMIT ?
                """, [.text("COMPLETED"), .integer(200)])
        }
        #expect(rows.count == 2)
    }

    @Test func replicasStartingTogetherMigrateOnce() async throws {
        let settings = try TestEnvironment.mysqlSettings()
        let stores = try await withThrowingTaskGroup(of: MySQLSubmissionStore.self) { group in
            for _ in 0..<4 {
                group.addTask { try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 1)) }
            }
            var stores: [MySQLSubmissionStore] = []
            for try await store in group { stores.append(store) }
            return stores
        }
        for store in stores { await store.shutdown() }
        let versions = try await withRawMySQL(settings) { connection throws(SQLError) in
            try connection.query("SELECT version FROM bpg_schema_migrations ORDER BY version", []).compactMap { $0.int(0) }
        }
        #expect(versions == SchemaMigrations.mysql.map(\.version))
    }

    /// TLS asked for is TLS enforced: against a server without TLS the connection is refused, never
    /// silently made in plain text.
    @Test(arguments: [MySQLSettings.TLS.Mode.required, .verifyIdentity])
    func requestedTLSIsNeverSkipped(mode: MySQLSettings.TLS.Mode) async throws {
        var settings = try TestEnvironment.mysqlSettings()
        settings.tls = MySQLSettings.TLS(mode: mode)
        let error = await #expect(throws: StoreError.self) {
            _ = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, retryWindow: .milliseconds(200)))
        }
        #expect(error?.function == "mysql_real_connect")
        #expect(error?.code == 2026, "\(error.map { "\($0)" } ?? "")")
    }

    @Test func errorsNameTheOperationAndCodeButNeverThePassword() async throws {
        var settings = try TestEnvironment.mysqlSettings()
        settings.password = "wrong-Pa55word-do-not-print"
        let error = await #expect(throws: StoreError.self) {
            _ = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, retryWindow: .milliseconds(100)))
        }
        let description = error.map { "\($0)" } ?? ""
        #expect(error?.kind == .connection || error?.kind == .query)
        #expect(error?.code == 1045)
        #expect(description.contains("mysql_real_connect"))
        #expect(description.contains("open"))
        #expect(!description.contains("wrong-Pa55word-do-not-print"))
        #expect(!"\(settings)".contains("wrong-Pa55word-do-not-print"))
    }
}

/// Tests that stop or restart a server. Each uses a private server (never the shared one other
/// tests are using), and they run one at a time: `mariadb-install-db` runs do not overlap safely.
@Suite(.serialized) struct ServerDisruptionTests {
    /// Restart MariaDB in the middle of a stream of inserts: the pool recovers by itself, every
    /// insert that reported success is there and none that reported failure is.
    @Test func poolRecoversFromAServerRestartWithoutLosingAcceptedInserts() async throws {
        try await PrivateMariaDB.with { server in try await Self.restartScenario(server) }
    }

    static func restartScenario(_ server: PrivateMariaDB) async throws {
        let settings = server.settings
        let retries = CountingLogHandler(message: "retrying a MySQL operation")
        let store = try await MySQLSubmissionStore.open(
            MySQLStoreConfiguration(
                settings: settings, poolSize: 4, retryWindow: .seconds(60),
                logger: Logger(label: "test", level: .debug, handler: retries)))
        let restarted = Flag()
        let outcomes = try await withThrowingTaskGroup(of: [(String, Bool)].self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var results: [(String, Bool)] = []
                    var index = 0
                    // Keep writing until the restart is over, and a little after.
                    var afterRestart = 0
                    let deadline = ContinuousClock.now + .seconds(120)
                    while afterRestart < 20 && ContinuousClock.now < deadline {
                        let id = "r-\(writer)-\(index)"
                        index += 1
                        do {
                            _ = try await store.insertSubmission(submission(id))
                            results.append((id, true))
                        } catch {
                            results.append((id, false))
                        }
                        if restarted.isSet { afterRestart += 1 }
                    }
                    return results
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                let status = try await server.control("restart")
                restarted.set()
                #expect(status == 0, "the restart script failed")
                return []
            }
            var all: [(String, Bool)] = []
            for try await part in group { all += part }
            return all
        }
        // The restart really broke connections under the writers, and they recovered.
        #expect(retries.count > 0)
        let succeeded = outcomes.filter(\.1).map(\.0)
        let failed = outcomes.filter { !$0.1 }.map(\.0)
        #expect(succeeded.count > 80)
        for id in succeeded {
            #expect(try await store.submission(id: id) != nil, "accepted insert \(id) is missing")
        }
        for id in failed {
            #expect(try await store.submission(id: id) == nil, "failed insert \(id) is present")
        }
        var stored = 0
        for try await _ in store.streamSubmissions(SubmissionQuery(limit: 500)) { stored += 1 }
        #expect(stored == succeeded.count)
        await store.shutdown()
    }

    /// With the server down for longer than the retry window, a write fails saying whether it may
    /// have been applied; once the server is back the same store works again without reopening.
    @Test func writeFailsClearlyWhileTheServerIsDownAndTheStoreRecoversAfterwards() async throws {
        try await PrivateMariaDB.with { server in try await Self.downScenario(server) }
    }

    static func downScenario(_ server: PrivateMariaDB) async throws {
        let store = try await MySQLSubmissionStore.open(
            MySQLStoreConfiguration(settings: server.settings, poolSize: 2, retryWindow: .milliseconds(1500)))
        _ = try await store.insertSubmission(submission("down-0"))
        #expect(try await server.control("stop") == 0)
        let error = await #expect(throws: StoreError.self) { _ = try await store.insertSubmission(submission("down-1")) }
        #expect(try await server.control("start") == 0)
        // The pooled connection broke under a sent write, so the store cannot know whether it committed.
        #expect(error?.kind == .outcomeUnknown || error?.kind == .connection)
        #expect(error?.operation == "insertSubmission")
        // Retrying the same insert is safe: it is recorded exactly once.
        _ = try await store.insertSubmission(submission("down-1"))
        _ = try await store.insertSubmission(submission("down-2"))
        let ids = try await store.listSubmissions(SubmissionQuery(limit: 10)).records.map(\.submissionId)
        #expect(Set(ids) == ["down-0", "down-1", "down-2"])
        #expect(ids.count == 3)
        await store.shutdown()
    }
}

/// Opens a MySQL store on existing settings for the duration of `body`.
func withStore<T>(for settings: MySQLSettings, _ body: (MySQLSubmissionStore) async throws -> T) async throws -> T {
    let store = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 2))
    do {
        let result = try await body(store)
        await store.shutdown()
        return result
    } catch {
        await store.shutdown()
        throw error
    }
}

/// A flag set once by one task and read by others.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// Counts log lines with one message (to see that a code path ran).
final class CountingLogHandler: LogHandler {
    private let message: String
    private let counter = Atomic<Int>(0)
    init(message: String) { self.message = message }
    var count: Int { counter.load(ordering: .acquiring) }
    func write(_ record: LogRecord) {
        if record.message == message { counter.add(1, ordering: .relaxed) }
    }
}
