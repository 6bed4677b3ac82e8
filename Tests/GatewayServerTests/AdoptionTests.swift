import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Logging
import Persistence
import TestSupport
import Testing

@testable import Gateway
@testable import Persistence

/// Switching from BPG: the gateway opens BPG's database (BPG's table, rows as BPG writes them) in
/// front of clusters running BPG's applications, and its monitor adopts them: their records follow
/// their real state, listings show it (not `UNKNOWN`), and their time limit is enforced.
@Suite(.serialized)
struct AdoptionTests {
    /// BPG's columns (`BPGSchema.mysqlDDL`) in SQLite's types (BPG never ran on SQLite; the gateway's
    /// SQLite schema keeps BPG's column names, so a table made like this is what it would find).
    static let bpgSQLiteDDL = [
        """
        CREATE TABLE application_submission (submission_id TEXT NOT NULL PRIMARY KEY, `user` TEXT NULL, \
        app_name TEXT, dag_name TEXT, task_name TEXT, spark_version TEXT, queue TEXT, status TEXT, app_id TEXT, \
        request_body TEXT, created_time TEXT DEFAULT CURRENT_TIMESTAMP, finished_time TEXT NULL, start_time TEXT NULL, \
        driver_core INTEGER, driver_memory_mb INTEGER, number_executor INTEGER, executor_core INTEGER, \
        executor_memory_mb INTEGER, cost NUMERIC)
        """,
        """
        CREATE TABLE logindex (logs3key TEXT NOT NULL PRIMARY KEY, `date` TEXT NOT NULL, `hour` INTEGER NOT NULL, \
        containerId TEXT NOT NULL)
        """,
    ]

    /// A row as BPG's submit writes it: the proxy user, Spark version, the request (env removed, queue
    /// token masked) and the raw queue; and, for `status`, BPG's monitor's status update.
    struct BPGRow: Sendable {
        var id: String
        var user: String
        var status: String?
    }

    static let requestBody = DevEnvironment.sparkPiRequest

    /// Creates BPG's tables and rows, then opens the gateway's store over them (which migrates).
    static func bpgDatabase(_ kind: StoreKind, rows: [BPGRow]) async throws -> any SubmissionStore {
        switch kind {
        case .sqlite:
            let directory = NSTemporaryDirectory() + "bpg-adoption-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/bpg.sqlite"
            do {
                let connection = try SQLiteConnection(path: path, readOnly: false, busyTimeout: .seconds(5))
                for statement in bpgSQLiteDDL { try connection.executeOnce(statement) }
                for row in rows {
                    _ = try connection.execute(
                        "INSERT INTO application_submission (submission_id, `user`, spark_version, request_body, queue) "
                            + "VALUES (?,?,?,?,?)",
                        [.text(row.id), .text(row.user), .text(DevEnvironment.sparkVersion), .text(requestBody), .text("dev")])
                    if let status = row.status {
                        _ = try connection.execute(
                            "UPDATE application_submission SET status=? WHERE submission_id=? AND finished_time IS NULL",
                            [.text(status), .text(row.id)])
                    }
                }
            }
            return try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: path))
        case .memory:
            throw HarnessError("BPG's tables need a SQL store")
        case .mysql:
            guard let url = ProcessInfo.processInfo.environment["BPG_TEST_MYSQL_URL"], !url.isEmpty else {
                throw HarnessError("BPG_TEST_MYSQL_URL is not set: run the tests with ./scripts/test.sh, which starts MariaDB")
            }
            var settings = try MySQLSettings(url: url)
            settings.database = "bpg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let database = settings.database
            let connectionSettings = settings
            let thread = DedicatedThread<ConnectionSlot<MySQLConnection>>(
                name: "test-bpg-mysql", makeResource: { MySQLLibrary.threadStart(); return ConnectionSlot() },
                onExit: { MySQLLibrary.threadEnd() })
            let body = requestBody
            let sparkVersion = DevEnvironment.sparkVersion
            do {
                try await thread.run { _ in
                    let connection = try MySQLConnection(connectionSettings, selectDatabase: false)
                    try connection.executeOnce("CREATE DATABASE `\(database)`")
                    try connection.executeOnce("USE `\(database)`")
                    for statement in BPGSchema.mysqlDDL { try connection.executeOnce(statement) }
                    for row in rows {
                        _ = try connection.execute(
                            """
                            INSERT INTO application_submission (submission_id, `user`, spark_version, request_body, queue) \
                            VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE `user`=?, spark_version=?, request_body=?, queue=?
                            """,
                            [
                                .text(row.id), .text(row.user), .text(sparkVersion), .text(body), .text("dev"),
                                .text(row.user), .text(sparkVersion), .text(body), .text("dev"),
                            ])
                        if let status = row.status {
                            _ = try connection.execute(
                                "UPDATE application_submission SET status=? WHERE submission_id=? AND finished_time IS NULL",
                                [.text(status), .text(row.id)])
                        }
                    }
                }
                await thread.stop()
            } catch {
                await thread.stop()
                throw error
            }
            return try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 4))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func bpgApplicationsAreAdoptedTrackedListedAndLimited(store kind: StoreKind) async throws {
        let a = "spark-cluster-a"
        let b = "spark-cluster-b"
        // BPG submitted these (its monitor was off: no status), and one its monitor saw submitted.
        let longRunning = StatusParityTests.newId(a)
        let limited = StatusParityTests.newId(a)
        let finishing = StatusParityTests.newId(b)
        // BPG's database writes failed for this one (BPG carries on): no row at all.
        let rowless = StatusParityTests.newId(b)
        let store = try await Self.bpgDatabase(
            kind,
            rows: [
                BPGRow(id: longRunning, user: "alice", status: nil), BPGRow(id: limited, user: "alice", status: "SUBMITTED"),
                BPGRow(id: finishing, user: "alice", status: nil),
            ])
        var index = 0
        let dev: DevEnvironment
        do {
            dev = try await DevEnvironment.start(
                sqlitePath: nil, timings: SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60)),
                logger: .disabled,
                configureClusters: { cluster in
                    // Cluster b finishes its applications quickly; cluster a runs them for a minute.
                    if index == 1 { cluster.operatorTimings.run = .milliseconds(300) }
                    index += 1
                })
        } catch {
            await store.shutdown()
            throw error
        }
        // BPG's applications exist before the gateway starts.
        let directory = try await ClusterDirectory.connect(dev.configuration.configuration, environment: [:], logger: .disabled)
        for (id, limit) in [(longRunning, Int64(43_200_000)), (limited, 1500), (finishing, 43_200_000), (rowless, 43_200_000)] {
            let cluster = try directory.cluster(ofSubmission: id)
            try await cluster.client.createApplication(
                json: StatusParityTests.bpgApplication(id, namespace: cluster.namespace, maxRunningMillis: limit),
                namespace: cluster.namespace)
        }
        await directory.shutdown()

        var configuration = dev.configuration.configuration
        configuration.gateway.health.enabled = false
        configuration.gateway.routing.maxAttempts = 1
        var options = GatewayApplication.Options(configuration: configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.store = store
        MonitorTests.fast(&options.monitor)
        let gateway: GatewayApplication
        do {
            gateway = try await GatewayApplication.start(options)
        } catch {
            await store.shutdown()
            await dev.shutdown()
            throw error
        }
        let base = "http://127.0.0.1:\(gateway.port)\(configuration.applicationContextPath)"
        func get(_ path: String) async throws -> (status: Int, body: Data) {
            let response = try await fetch("GET", base + path, headers: ["User-Account: alice"])
            return (response.status, response.body)
        }
        do {
            // The records follow the applications' real state.
            try await waitUntil(timeout: .seconds(15)) {
                let running = try await gateway.store.submission(id: longRunning)
                let finished = try await gateway.store.submission(id: finishing)?.status
                let created = try await gateway.store.submission(id: rowless)?.status
                // The start time comes with the driver's start, which a loaded machine may report after
                // the state.
                return running?.status == "RUNNING" && running?.startTime != nil && finished == "COMPLETED"
                    && created == "COMPLETED"
            }
            // The limit applies to BPG's applications too, as BPG applies it: stopped, kept, FAILED.
            try await waitUntil(timeout: .seconds(15)) {
                try await gateway.store.submission(id: limited)?.status == "FAILED"
            }
            let stopped = try #require(try await gateway.store.submission(id: limited))
            #expect(stopped.note == ApplicationMonitor.runningTooLongNote(limit: 1500))
            #expect(stopped.applicationErrorMessage == "driver pod not found")
            let kept = try await get("/spark/\(limited)/status")
            #expect(kept.status == 200)
            let keptStatus = try JSONDecoder().decode(GetSubmissionStatusResponse.self, from: kept.body)
            #expect(keptStatus.applicationState == "FAILED")
            #expect(keptStatus.applicationErrorMessage?.contains("killed by the gateway") == true)

            // BPG's rows keep their owner and gain the gateway's columns; the row BPG never wrote exists now.
            let adopted = try #require(try await gateway.store.submission(id: longRunning))
            #expect(adopted.user == "alice")
            #expect(adopted.queue == "dev")
            #expect(adopted.resolvedQueue == "dev")
            #expect(adopted.clusterId == a)
            #expect(adopted.statusVersion > 0)
            #expect(adopted.startTime != nil)
            let created = try #require(try await gateway.store.submission(id: rowless))
            #expect(created.user == "alice")
            #expect(created.clusterId == b)

            // Listings show the real states, with BPG's fields.
            let listing = try await get("/spark/mySubmissions")
            #expect(listing.status == 200)
            let entries = try JSONDecoder().decode(GetMySubmissionsResponse.self, from: listing.body).submissions
            let states = Dictionary(entries.compactMap { entry in entry.submissionId.map { ($0, entry.applicationState) } }, uniquingKeysWith: { a, _ in a })
            #expect(states[longRunning] == "RUNNING")
            #expect(states[limited] == "FAILED")
            #expect(states[finishing] == "COMPLETED")
            #expect(states[rowless] == "COMPLETED")
            #expect(!states.values.contains("UNKNOWN"))
            let entry = try #require(entries.first { $0.submissionId == longRunning })
            #expect(entry.queue == "root.dev")
            #expect(entry.applicationName == "SparkPi")
            #expect(entry.user == "alice")
            let monitor = try #require(gateway.monitors?.monitor(cluster: a))
            #expect(monitor.deletedForRunningTooLong == 1)
            #expect(monitor.load?.running == 1)
        } catch {
            await gateway.shutdown()
            await dev.shutdown()
            throw error
        }
        await gateway.shutdown()
        await dev.shutdown()
    }
}
