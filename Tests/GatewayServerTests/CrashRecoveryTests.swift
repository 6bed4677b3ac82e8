import Foundation
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// A submission's response waits for one store write (its record, before the create); the `CREATED`
/// outcome is written after the response. These tests kill a real `bpg` process (SIGKILL, no chance
/// to flush) right after the responses arrive, restart it on the same MariaDB store, and check that
/// nothing was lost: every id a client got has a record naming an application that exists, the record
/// reaches the operator's states, and no job runs twice.
@Suite(.serialized) struct CrashRecoveryTests {
    // MARK: The writer, in process

    @Test func outcomesAreWrittenAfterTheCallerMovesOnAndFlushWaitsForThem() async throws {
        let store = InMemorySubmissionStore()
        let ids = (0..<20).map { "spark-cluster-a-\($0)" }
        for id in ids { _ = try await store.insertSubmission(NewSubmission(submissionId: id, user: "alice")) }
        let writer = CreatedOutcomeWriter(store: store, metrics: nil, logger: .disabled, width: 3, delay: .milliseconds(200))
        for id in ids { writer.recordCreated(submissionId: id, at: Date()) }
        // Held back: the records still say ACCEPTED, and the writer knows the ids were created.
        #expect(ids.allSatisfy(writer.isCreatedButUnwritten))
        for id in ids { #expect(try await store.submission(id: id)?.status == SubmissionState.accepted) }
        #expect(await writer.flush(timeout: .seconds(10)))
        #expect(writer.backlog == 0)
        for id in ids { #expect(try await store.submission(id: id)?.status == SubmissionState.created) }
        #expect(!writer.isCreatedButUnwritten(ids[0]))
    }

    @Test func anOutcomeTheMonitorAlreadyRecordedIsLeftAlone() async throws {
        let store = InMemorySubmissionStore()
        _ = try await store.insertSubmission(NewSubmission(submissionId: "spark-cluster-a-1", user: "alice"))
        _ = try await store.updateStatus(submissionId: "spark-cluster-a-1", status: "RUNNING", observedVersion: 3, at: Date())
        let writer = CreatedOutcomeWriter(store: store, metrics: nil, logger: .disabled)
        writer.recordCreated(submissionId: "spark-cluster-a-1", at: Date())
        #expect(await writer.flush(timeout: .seconds(10)))
        #expect(try await store.submission(id: "spark-cluster-a-1")?.status == "RUNNING")
    }

    @Test func aStoreThatFailsLeavesTheRecordAcceptedForTheResolver() async throws {
        let store = InMemorySubmissionStore()
        _ = try await store.insertSubmission(NewSubmission(submissionId: "spark-cluster-a-1", user: "alice"))
        await store.shutdown()
        let writer = CreatedOutcomeWriter(store: store, metrics: nil, logger: .disabled)
        writer.recordCreated(submissionId: "spark-cluster-a-1", at: Date())
        // Three tries with short backoffs, then the writer gives the row up (the resolver confirms
        // ACCEPTED rows older than the window by reading their application back).
        #expect(await writer.flush(timeout: .seconds(10)))
        #expect(writer.backlog == 0)
    }

    // MARK: A real process, killed

    static let namespace = SimulatedCluster.walkthroughNamespace

    /// The `bpg` built next to this test binary (`swift build --build-tests` builds every product).
    static var bpgExecutable: String? {
        var candidates: [URL] = []
        if let path = Bundle.main.executablePath {
            candidates.append(URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("bpg"))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/bpg"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// - Parameter outcomeDelay: with it, every outcome write is still pending when the process dies
    ///   (the records of all answered submissions say `ACCEPTED`, checked before the restart); without
    ///   it, the kill lands wherever the background writes happen to be.
    @Test(arguments: [true, false])
    func killedRightAfterTheResponsesLosesNothing(outcomeDelay: Bool) async throws {
        guard let url = ProcessInfo.processInfo.environment["BPG_TEST_MYSQL_URL"], !url.isEmpty else {
            throw HarnessError("BPG_TEST_MYSQL_URL is not set: run the tests with ./scripts/test.sh, which starts MariaDB")
        }
        let bpg = try #require(Self.bpgExecutable, "bpg is built by `swift build --build-tests` (./scripts/test.sh)")
        var settings = try MySQLSettings(url: url)
        settings.database = "bpg_test_crash_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()

        var clusters: [SimulatedCluster] = []
        for _ in 0..<2 {
            var configuration = SimulatedClusterConfiguration()
            configuration.bearerToken = "crash-\(UUID().uuidString.lowercased())"
            configuration.operatorTimings = .uniform(.milliseconds(100))
            let cluster = SimulatedCluster(configuration: configuration)
            try cluster.start()
            clusters.append(cluster)
        }
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bpg-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let configPath = work.appendingPathComponent("bpg.yaml").path
        try Data(Self.configuration(clusters: clusters, settings: settings).utf8).write(to: URL(fileURLWithPath: configPath))
        let logPath = work.appendingPathComponent("bpg.log").path
        let port = try freePortBelowEphemeralRange()
        var gateway: ChildProcess?
        defer {
            if let gateway { gateway.terminate(signal: SIGKILL); _ = gateway.wait() }
            for cluster in clusters { Task { await cluster.shutdown() } }
        }

        // First life: the monitor off (so only the outcome writes could move the records), and the
        // outcome writes held back when asked.
        var environment = ["PATH": "/usr/bin:/bin", "BPG_MONITOR_ENABLED": "false"]
        if outcomeDelay { environment[LaunchEnvironment.createdOutcomeDelayVariable] = "600000" }
        gateway = try Self.start(bpg, config: configPath, port: port, environment: environment, log: logPath)
        try await Self.waitUntilReady(port: port, gateway: gateway, log: logPath)

        let submissions = 24
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<submissions {
                group.addTask { try await Self.submit(port: port) }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        gateway?.terminate(signal: SIGKILL)
        #expect(gateway?.wait() == 128 + SIGKILL)
        gateway = nil
        #expect(Set(ids).count == submissions)

        let store = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 2))
        defer { Task { await store.shutdown() } }
        // Nothing accepted without its record, and every record's application exists.
        for id in ids {
            let record = try #require(try await store.submission(id: id), "\(id) has a record")
            let cluster = try #require(Self.cluster(of: record, in: clusters))
            #expect(Self.exists(id, on: cluster), "\(id) exists on \(record.clusterId ?? "-")")
            if outcomeDelay {
                #expect(record.status == SubmissionState.accepted, "the response did not wait for the outcome write")
            }
        }

        // Second life: the monitor on, outcome writes at once.
        gateway = try Self.start(bpg, config: configPath, port: port, environment: ["PATH": "/usr/bin:/bin"], log: logPath)
        try await Self.waitUntilReady(port: port, gateway: gateway, log: logPath)
        let unsettled: Set<String> = [
            SubmissionState.accepted, SubmissionState.outcomeUnknown, SubmissionState.fenced, SubmissionState.submissionFailed,
        ]
        try await waitFor("every answered submission to get its outcome", timeout: .seconds(60)) {
            for id in ids {
                guard let status = try await store.submission(id: id)?.status, !unsettled.contains(status) else { return false }
            }
            return true
        }
        for id in ids {
            let reply = try await fetch(
                "GET", "http://127.0.0.1:\(port)/skatev2/spark/\(id)/status", headers: ["User-Account: alice"])
            #expect(reply.status == 200, "\(id): \(reply.text)")
        }
        // Nothing runs twice: one application per answered id, none for anything else.
        let names = clusters.flatMap(Self.names(on:))
        #expect(names.count == Set(names).count)
        #expect(Set(names) == Set(ids), "applications: \(names.count), answered: \(ids.count)")
        let records = try await store.listSubmissions(SubmissionQuery(limit: 1000)).records
        #expect(records.count == submissions)
    }

    static func configuration(clusters: [SimulatedCluster], settings: MySQLSettings) -> String {
        var text = """
            applicationContextPath: /skatev2
            allowedUsers: ['*']
            sparkImages:
              - name: apache/spark:3.5.0
                types: [Java, Scala]
                version: '3.5.0'
            queues:
              - name: dev
            dbStorageSOPS:
              connectionString: jdbc:mysql://\(settings.host):\(settings.port)/\(settings.database)
              user: \(settings.user)
              password: plaintext:\(settings.password)
              dbName: \(settings.database)
            gateway:
              store:
                backend: mysql
              routing:
                unknownOutcomeWindowSeconds: 2
            sparkClusters:

            """
        for (id, cluster) in zip(["spark-cluster-a", "spark-cluster-b"], clusters) {
            text += cluster.sparkClusterEntryYAML(id: id, weight: 50, sparkVersion: "3.5.0", queues: ["dev"])
        }
        return text
    }

    static func start(_ bpg: String, config: String, port: Int, environment: [String: String], log: String) throws -> ChildProcess {
        try ChildProcess.spawn(
            bpg, ["serve", "--config", config, "--host", "127.0.0.1", "--port", "\(port)"], environment: environment,
            output: .file(log))
    }

    static func waitUntilReady(port: Int, gateway: ChildProcess?, log: String) async throws {
        do {
            try await waitFor("bpg to answer its health check", timeout: .seconds(60)) {
                let reply = try? await fetch(
                    "GET", "http://127.0.0.1:\(port)/skatev2/healthcheck/status", headers: ["User-Account: alice"])
                return reply?.status == 200
            }
        } catch {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw HarnessError("\(error); bpg's output:\n\(output.suffix(4000))")
        }
    }

    static func submit(port: Int) async throws -> String {
        let reply = try await fetch(
            "POST", "http://127.0.0.1:\(port)/skatev2/spark",
            headers: ["User-Account: alice", "Content-Type: application/json"], body: Data(DevEnvironment.sparkPiRequest.utf8))
        guard reply.status == 200,
            let object = try JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let id = object["submissionId"] as? String
        else { throw HarnessError("submit answered \(reply.status): \(reply.text)") }
        return id
    }

    static func cluster(of record: SubmissionRecord, in clusters: [SimulatedCluster]) -> SimulatedCluster? {
        switch record.clusterId {
        case "spark-cluster-a": clusters[0]
        case "spark-cluster-b": clusters[1]
        default: nil
        }
    }

    static func names(on cluster: SimulatedCluster) -> [String] {
        let page = try? cluster.store.list(.sparkApplications, filter: ObjectFilter(namespace: namespace))
        return (page?.items ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    static func exists(_ id: String, on cluster: SimulatedCluster) -> Bool {
        (try? cluster.store.get(.sparkApplications, namespace: namespace, name: id)) != nil
    }
}
