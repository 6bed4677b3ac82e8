import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import KubeSimulator
import Logging
import Persistence
import Synchronization
import Testing
import TestSupport

@testable import Gateway
@testable import ObjectStorage

/// Archived driver logs end to end: an in-process gateway whose monitor watches two simulated
/// clusters, a real store, and `sparkLogS3Bucket` in a moto server (docs/object-storage.md,
/// "Archived logs").
@Suite(
    .enabled(if: MotoServer.unavailableReason == nil, Comment(rawValue: MotoServer.unavailableReason ?? "")),
    .serialized, .timeLimit(.minutes(4)))
struct LogArchiveTests {
    enum Store: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, mysql
        var testDescription: String { rawValue }

        func open() async throws -> any SubmissionStore {
            switch self {
            case .sqlite:
                let path = NSTemporaryDirectory() + "bpg-logarchive-test-\(UUID().uuidString)/bpg.sqlite"
                return try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: path))
            case .mysql:
                guard let url = ProcessInfo.processInfo.environment["BPG_TEST_MYSQL_URL"], !url.isEmpty else {
                    throw MotoError(message: "BPG_TEST_MYSQL_URL is not set: run the tests with ./scripts/test.sh, which starts MariaDB")
                }
                var settings = try MySQLSettings(url: url)
                settings.database = "bpg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
                return try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 4))
            }
        }
    }

    /// Log lines as the gateway wrote them.
    final class LogCollector: LogHandler {
        let records = Mutex<[LogRecord]>([])
        func write(_ record: LogRecord) { records.withLock { $0.append(record) } }
        func lines(_ message: String) -> [LogRecord] { records.withLock { $0.filter { $0.message.contains(message) } } }
    }

    /// A running gateway with archiving on, and what a test needs around it.
    struct Harness {
        let dev: DevEnvironment
        let service: GatewayService
        let responder: HTTPResponder
        let bucket: String
        let s3: S3Client
        let logs: LogCollector

        var store: any SubmissionStore { service.store }

        func send(_ method: String, _ path: String, user: String = "alice", body: Data = Data()) async throws -> (Int, String) {
            var headers = HTTPHeaders()
            headers.add("User-Account", user)
            if !body.isEmpty { headers.add("Content-Type", "application/json") }
            guard let request = HTTPRequest(method: HTTPMethod(rawValue: method), target: "/skatev2" + path, headers: headers, body: body)
            else { throw MotoError(message: "bad request target \(path)") }
            let response = await responder.respond(to: request)
            return (response.status, String(decoding: try await response.collectBody(), as: UTF8.self))
        }

        func submit(_ request: String = DevEnvironment.sparkPiRequest) async throws -> String {
            let (status, text) = try await send("POST", "/spark", body: Data(request.utf8))
            guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                let id = object["submissionId"] as? String
            else { throw MotoError(message: "submit answered \(status): \(text)") }
            return id
        }

        func cluster(of id: String) throws -> (GatewayCluster, SimulatedCluster) {
            let cluster = try service.clusters.cluster(ofSubmission: id)
            return (cluster, dev.clusters[DevEnvironment.clusterIds.firstIndex(of: cluster.id)!])
        }

        /// A pod's whole log as the cluster serves it (the driver's by default).
        func podLog(_ id: String, pod: String? = nil) async throws -> String {
            let (_, simulated) = try cluster(of: id)
            let driver = try await store.submission(id: id)?.driverPodName ?? "\(id)-driver"
            return simulated.podLogs.lines(namespace: SimulatedCluster.walkthroughNamespace, pod: pod ?? driver).map { $0 + "\n" }.joined()
        }

        func archives(_ id: String) async throws -> [LogArchiveTask] { try await store.logArchives(submissionId: id) }
    }

    static func withArchivingGateway<T>(
        store: Store = .sqlite, endpoint: String? = nil, secret: String? = nil,
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        _ body: (Harness) async throws -> T
    ) async throws -> T {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket("logs")
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: .uniform(.milliseconds(150)), logger: .disabled, inProcess: true)
        var configuration = Self.configuration(dev, bucket: bucket, endpoint: endpoint ?? moto.endpoint)
        configure(&configuration)
        let logs = LogCollector()
        var options = Self.options(configuration, moto: moto, secret: secret, logs: logs)
        let service: GatewayService
        do {
            options.store = try await store.open()
            options.clusterClients = try await dev.clusterClients(for: configuration)
            service = try await GatewayService.open(options)
        } catch {
            await options.store?.shutdown()
            await dev.shutdown()
            throw error
        }
        var router = RouteTable()
        service.register(into: &router)
        service.startBackgroundWork()
        let harness = Harness(dev: dev, service: service, responder: router.build(), bucket: bucket, s3: moto.client(), logs: logs)
        do {
            let result = try await body(harness)
            await service.shutdown()
            await dev.shutdown()
            return result
        } catch {
            await service.shutdown()
            await dev.shutdown()
            throw error
        }
    }

    /// The walkthrough configuration with `sparkLogS3Bucket` and quick archive retries.
    static func configuration(_ dev: DevEnvironment, bucket: String, endpoint: String) -> GatewayConfiguration {
        var configuration = dev.configuration.configuration
        configuration.gateway.health.enabled = false
        configuration.gateway.routing.maxAttempts = 1
        configuration.sparkLogS3Bucket = bucket
        configuration.gateway.objectStorage.endpoint = endpoint
        configuration.gateway.objectStorage.credentials = .environment
        configuration.gateway.objectStorage.logArchive.sweepIntervalSeconds = 1
        configuration.gateway.objectStorage.logArchive.retryInitialSeconds = 1
        configuration.gateway.objectStorage.logArchive.retryMaxSeconds = 1
        return configuration
    }

    /// Credentials from the environment (the test user's, or a wrong secret) and quick lease timings.
    static func options(
        _ configuration: GatewayConfiguration, moto: MotoServer, secret: String? = nil, logs: LogCollector
    ) -> GatewayService.Options {
        var options = GatewayService.Options(configuration: configuration)
        options.logger = Logger(label: "test", level: .debug, handler: logs)
        options.environment = [
            "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyId, "AWS_SECRET_ACCESS_KEY": secret ?? moto.credentials.secretAccessKey,
        ]
        options.monitor.leaseDuration = .milliseconds(1500)
        options.monitor.renewInterval = .milliseconds(300)
        options.monitor.acquireInterval = .milliseconds(300)
        options.monitor.enforcementInterval = .milliseconds(200)
        return options
    }

    static func waitUntil(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw MotoError(message: "condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func archived(_ harness: Harness, _ id: String) async throws -> LogArchiveTask {
        try await waitUntil { try await harness.archives(id).first?.state == .archived }
        return try #require(try await harness.archives(id).first)
    }

    // MARK: Tests

    @Test(arguments: Store.allCases)
    func theDriverLogIsArchivedAtCompletionAndServedOnceThePodIsGone(store: Store) async throws {
        try await Self.withArchivingGateway(store: store) { harness in
            let id = try await harness.submit()
            let task = try await Self.archived(harness, id)
            let podLog = try await harness.podLog(id)
            #expect(task.podName == (try await harness.store.submission(id: id)?.driverPodName))
            #expect(podLog.contains("Pi is roughly 3.14"))
            // The object is the pod's log, byte for byte, under the documented layout.
            let object = try await harness.s3.getObjectData(bucket: harness.bucket, key: task.s3Key)
            #expect(String(decoding: object, as: UTF8.self) == podLog)
            #expect(task.s3Key.hasPrefix("\(id)/") && task.s3Key.hasSuffix("/\(id)-driver.log"))
            // One attempt, unless a failed one was logged with its reason (a loaded machine's S3
            // server can time out once; the retry is the designed behaviour, a silent second claim is not).
            let failures = harness.logs.lines("log archive failed; retrying later")
            #expect(task.attempts == 1 || failures.count == task.attempts - 1, "\(failures.map(\.metadata))")
            #expect(try await harness.store.logKeys(containerId: "\(id)-driver") == [task.s3Key])

            // While the pod exists, /log follows the pod; s3only reads the archive (a blank line
            // after each object, as BPG).
            let (liveStatus, live) = try await harness.send("GET", "/log?subId=\(id)")
            #expect(liveStatus == 200)
            #expect(live == podLog + "\n")
            let (_, archivedOnly) = try await harness.send("GET", "/log?subId=\(id)&s3only=TRUE")
            #expect(archivedOnly == podLog + "\n")

            // The application and its pods go (the operator's time to live, or a delete): the archive answers.
            let (cluster, _) = try harness.cluster(of: id)
            try await cluster.client.deleteApplication(named: id, namespace: cluster.namespace)
            try await Self.waitUntil {
                do {
                    _ = try await cluster.client.pod(named: task.podName, namespace: cluster.namespace)
                    return false
                } catch let error as KubeError { return error.code == .notFound }
            }
            let (status, afterDelete) = try await harness.send("GET", "/log?subId=\(id)")
            #expect(status == 200)
            #expect(afterDelete == podLog + "\n")
            // By Spark's application id, from the record.
            let appId = try #require(try await harness.store.submission(id: id)?.appId)
            let (_, byAppId) = try await harness.send("GET", "/log?appId=\(appId)")
            #expect(byAppId == podLog + "\n")
            // An executor nobody archived: BPG's hint.
            let (_, executor) = try await harness.send("GET", "/log?subId=\(id)&execId=1")
            #expect(executor == GatewayRoutes.noLogMessage)
        }
    }

    @Test func s3DownWhileArchivingThenBackArchivesExactlyOnce() async throws {
        let moto = try await MotoServer.instance()
        let port = try #require(URLComponents(string: moto.endpoint)?.port)
        let balancer = try FaultyLoadBalancer(upstreamPort: port, mode: .reset)
        defer { balancer.stop() }
        try await Self.withArchivingGateway(endpoint: "http://127.0.0.1:\(balancer.port)") { harness in
            let id = try await harness.submit()
            // S3 refuses every connection: the task stays pending, with the reason and a later retry.
            try await Self.waitUntil { (try await harness.archives(id).first?.attempts ?? 0) >= 2 }
            let pending = try #require(try await harness.archives(id).first)
            #expect(pending.state == .pending)
            #expect(pending.lastError?.contains("upload to s3://\(harness.bucket)/") == true, "\(pending.lastError ?? "")")
            #expect(try await harness.store.logKeys(containerId: "\(id)-driver").isEmpty)
            #expect(!harness.logs.lines("log archive failed; retrying later").isEmpty)
            balancer.setMode(.relay)
            let task = try await Self.archived(harness, id)
            #expect(task.attempts >= 3)
            let object = try await harness.s3.getObjectData(bucket: harness.bucket, key: task.s3Key)
            #expect(String(decoding: object, as: UTF8.self) == (try await harness.podLog(id)))
            // Archived once: one index row, one "archived" line, no further attempt.
            try await Task.sleep(for: .seconds(2))
            #expect(try await harness.archives(id).first?.attempts == task.attempts)
            #expect(try await harness.store.logKeys(containerId: "\(id)-driver") == [task.s3Key])
            #expect(harness.logs.lines("log archived").filter { $0.metadata["submission"] == id }.count == 1)
            #expect(try await harness.s3.listMultipartUploads(bucket: harness.bucket).isEmpty)
        }
    }

    @Test func wrongCredentialsAreLoggedClearlyAndRetriedLater() async throws {
        try await Self.withArchivingGateway(secret: "not-the-secret") { harness in
            let id = try await harness.submit()
            try await Self.waitUntil { (try await harness.archives(id).first?.attempts ?? 0) >= 2 }
            let task = try #require(try await harness.archives(id).first)
            #expect(task.state == .pending)
            #expect(task.nextAttempt > Date().addingTimeInterval(-5))
            let error = task.lastError ?? ""
            #expect(error.contains("SignatureDoesNotMatch") || error.contains("InvalidAccessKeyId"), "\(error)")
            #expect(error.contains("credentials were refused"), "\(error)")
            #expect(!error.contains("not-the-secret"))
            let warnings = harness.logs.lines("log archive failed; retrying later")
            #expect(warnings.contains { $0.metadata["error"]?.contains("credentials were refused") == true })
            #expect(!warnings.contains { $0.metadata.values.contains { $0.contains("not-the-secret") } })
            #expect(try await harness.store.logKeys(containerId: "\(id)-driver").isEmpty)
        }
    }

    @Test func aPodGoneBeforeItsArchiveIsMarkedUnavailableAndNotRetried() async throws {
        // Archiving waits (a long sweep interval) while the application is deleted.
        try await Self.withArchivingGateway(configure: { $0.gateway.objectStorage.logArchive.sweepIntervalSeconds = 3600 }) { harness in
            let id = try await harness.submit()
            try await Self.waitUntil { try await harness.archives(id).first != nil }
            let pod = try #require(try await harness.archives(id).first?.podName)
            let (cluster, _) = try harness.cluster(of: id)
            try await cluster.client.deleteApplication(named: id, namespace: cluster.namespace)
            try await Self.waitUntil { (try? await cluster.client.pod(named: pod, namespace: cluster.namespace)) == nil }
            let archiver = try #require(harness.service.monitors?.monitor(cluster: cluster.id)?.archiver)
            #expect(await archiver.sweep(cluster: cluster, holder: "test-replica") == 1)
            let task = try #require(try await harness.archives(id).first)
            #expect(task.state == .unavailable)
            #expect(task.lastError?.contains(pod) == true)
            #expect(await archiver.sweep(cluster: cluster, holder: "test-replica") == 0, "not retried")
            let (_, log) = try await harness.send("GET", "/log?subId=\(id)")
            #expect(log == GatewayRoutes.noLogMessage)
        }
    }

    @Test func executorLogsAreArchivedWhenConfigured() async throws {
        try await Self.withArchivingGateway(configure: { $0.gateway.objectStorage.logArchive.executorLogs = true }) { harness in
            // Executor pods that outlive the application (Spark deletes them unless told not to).
            let request = DevEnvironment.sparkPiRequest.replacingOccurrences(
                of: #""executor":{"instances":2,"#, with: #""executor":{"deleteOnTermination":false,"instances":2,"#)
            #expect(request != DevEnvironment.sparkPiRequest)
            let id = try await harness.submit(request)
            try await Self.waitUntil {
                let tasks = try await harness.archives(id)
                return tasks.count == 3 && tasks.allSatisfy { $0.state == .archived }
            }
            let tasks = try await harness.archives(id)
            #expect(tasks.map(\.containerId) == ["\(id)-driver", "\(id)-exec-1", "\(id)-exec-2"])
            let executor = try #require(tasks.first { $0.containerId == "\(id)-exec-1" })
            let executorLog = try await harness.podLog(id, pod: executor.podName)
            #expect(executorLog.contains("Starting executor ID 1"), "\(executorLog.prefix(200))")
            let (_, log) = try await harness.send("GET", "/log?subId=\(id)&execId=1&s3only=true")
            #expect(log == executorLog + "\n")
        }
    }

    @Test func aReplicaThatDiesMidUploadIsReplacedOnceItsClaimLapses() async throws {
        // This replica's own sweeps wait; a dead replica's claim is made directly in the store.
        try await Self.withArchivingGateway(configure: { $0.gateway.objectStorage.logArchive.sweepIntervalSeconds = 3600 }) { harness in
            let id = try await harness.submit()
            try await Self.waitUntil { try await harness.archives(id).first != nil }
            let (cluster, _) = try harness.cluster(of: id)
            let dead = try await harness.store.claimLogArchives(
                clusterId: cluster.id, holder: "dead-replica", now: Date(), claimFor: .seconds(2), limit: 10)
            #expect(dead.map(\.containerId) == ["\(id)-driver"])
            let archiver = try #require(harness.service.monitors?.monitor(cluster: cluster.id)?.archiver)
            #expect(await archiver.sweep(cluster: cluster, holder: "live-replica") == 0, "held by the dead replica's claim")
            try await Task.sleep(for: .milliseconds(2100))
            #expect(await archiver.sweep(cluster: cluster, holder: "live-replica") == 1)
            let task = try #require(try await harness.archives(id).first)
            #expect(task.state == .archived)
            #expect(task.attempts == 2)
            // The dead replica's upload, had it finished after all, records nothing more.
            #expect(try await harness.store.completeLogArchive(containerId: task.containerId, at: Date()) == false)
            #expect(try await harness.store.logKeys(containerId: task.containerId) == [task.s3Key])
            let (_, log) = try await harness.send("GET", "/log?subId=\(id)&s3only=true")
            #expect(log == (try await harness.podLog(id)) + "\n")
        }
    }

    /// Two gateways monitor the same clusters over one store; the replica monitoring when the first
    /// log is archived dies (its leases lapse); the other takes over. Every log is archived once.
    @Test func twoGatewaysMonitoringTheSameClustersArchiveEachLogOnceAcrossALeaseChange() async throws {
        let moto = try await MotoServer.instance()
        let bucket = try await moto.makeBucket("logs")
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: .uniform(.milliseconds(300)), logger: .disabled, inProcess: true)
        var configuration = Self.configuration(dev, bucket: bucket, endpoint: moto.endpoint)
        // A claim the dead replica held mid-upload passes on quickly.
        configuration.gateway.objectStorage.logArchive.claimSeconds = 3
        var services: [GatewayService] = []
        do {
            let store = try await Store.sqlite.open()
            for holder in ["replica-a", "replica-b"] {
                var options = Self.options(configuration, moto: moto, logs: LogCollector())
                options.monitor.holder = holder
                options.store = store
                options.clusterClients = try await dev.clusterClients(for: configuration)
                let service = try await GatewayService.open(options)
                service.startBackgroundWork()
                services.append(service)
            }
            var router = RouteTable()
            services[1].register(into: &router)
            let harness = Harness(
                dev: dev, service: services[1], responder: router.build(), bucket: bucket, s3: moto.client(), logs: LogCollector())
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await harness.submit()) }
            try await Self.waitUntil { try await harness.archives(ids[0]).first?.state == .archived }
            // The replica holding the first application's cluster dies without releasing its leases;
            // more applications finish, some before the other replica's monitors take over.
            let (cluster, _) = try harness.cluster(of: ids[0])
            let victim = try #require(services.firstIndex { $0.monitors?.monitor(cluster: cluster.id)?.isActive == true })
            await services[victim].monitors?.stop(releasingLeases: false)
            for _ in 0..<3 { ids.append(try await harness.submit()) }
            for id in ids { try await Self.waitUntil { try await harness.archives(id).first?.state == .archived } }
            let archivers = services.compactMap { $0.monitors?.monitors.first?.archiver }
            #expect(archivers.map(\.counts.archived).reduce(0, +) == ids.count, "\(archivers.map(\.counts))")
            #expect(archivers[1 - victim].counts.archived >= 3, "the survivor archived what finished after the change")
            #expect(services[1 - victim].monitors?.monitors.allSatisfy(\.isActive) == true)
            for id in ids {
                let task = try #require(try await harness.archives(id).first)
                #expect(try await harness.store.logKeys(containerId: task.containerId) == [task.s3Key])
                let object = try await harness.s3.getObjectData(bucket: bucket, key: task.s3Key)
                #expect(String(decoding: object, as: UTF8.self) == (try await harness.podLog(id)))
            }
        } catch {
            for service in services { await service.shutdown() }
            await dev.shutdown()
            throw error
        }
        for service in services { await service.shutdown() }
        await dev.shutdown()
    }

    @Test func twoReplicasRacingUploadEachLogOnce() async throws {
        // Archiving waits here; two replicas' archivers then sweep the same cluster at once.
        try await Self.withArchivingGateway(configure: { $0.gateway.objectStorage.logArchive.sweepIntervalSeconds = 3600 }) { harness in
            var ids: [String] = []
            for _ in 0..<6 { ids.append(try await harness.submit()) }
            for id in ids { try await Self.waitUntil { try await harness.archives(id).first != nil } }
            let moto = try await MotoServer.instance()
            let replicas = (0..<2).map { index in
                LogArchiver(
                    bucket: harness.bucket, settings: LogArchiveSettings(), client: moto.client(), store: harness.store,
                    logger: .disabled)
            }
            let clusters = try Set(ids.map { try harness.cluster(of: $0).0.id }).map { try #require(harness.service.clusters.cluster(id: $0)) }
            await withDiscardingTaskGroup { group in
                for (index, replica) in replicas.enumerated() {
                    for cluster in clusters {
                        group.addTask { await replica.sweep(cluster: cluster, holder: "replica-\(index)") }
                    }
                }
            }
            #expect(replicas.map(\.counts.uploads).reduce(0, +) == ids.count, "\(replicas.map(\.counts))")
            #expect(replicas.map(\.counts.archived).reduce(0, +) == ids.count)
            for id in ids {
                let task = try #require(try await harness.archives(id).first)
                #expect(task.state == .archived)
                #expect(task.attempts == 1)
                #expect(try await harness.store.logKeys(containerId: "\(id)-driver") == [task.s3Key])
                let (_, log) = try await harness.send("GET", "/log?subId=\(id)&s3only=true")
                #expect(log == (try await harness.podLog(id)) + "\n")
            }
        }
    }
}

/// The pieces that need no server: key layout, retry schedule, BPG's line rewriting.
struct LogArchiveLayoutTests {
    @Test func keysFollowTheDocumentedLayout() {
        let ended = Date(timeIntervalSince1970: 1_760_000_000)  // 2025-10-09 08:53:20 UTC
        let place = LogArchiveLayout.key(submissionId: "c-abc", containerId: "c-abc-driver", ended: ended)
        #expect(place.key == "c-abc/2025-10-09/08/c-abc-driver.log")
        #expect(place.date == "2025-10-09")
        #expect(place.hour == 8)
        #expect(LogArchiveLayout.container(submissionId: "c-abc", executorId: "") == "c-abc-driver")
        #expect(LogArchiveLayout.container(submissionId: "c-abc", executorId: "spark-driver") == "c-abc-driver")
        #expect(LogArchiveLayout.container(submissionId: "c-abc", executorId: "3") == "c-abc-exec-3")
        #expect(LogArchiveLayout.executorNumber(ofPod: "c-abc-exec-12") == "12")
        #expect(LogArchiveLayout.executorNumber(ofPod: "c-abc-driver") == nil)
    }

    @Test func retriesDoubleUpToTheLongestWait() {
        var settings = LogArchiveSettings()
        settings.retryInitialSeconds = 30
        settings.retryMaxSeconds = 3600
        let delays = (1...9).map { LogArchiver.backoff(afterAttempt: $0, settings: settings) }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600].map { Duration.seconds($0) })
    }

    /// A pod log stream ends early when the monitor's task is cancelled mid-upload; the source must
    /// fail then, or the upload would complete with a truncated log marked as archived.
    @Test func aLogCutByCancellationIsNotACompleteLog() async {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.yield(Data("first line\n".utf8))
        let reader = Task {
            var source = PodLogSource(stream)
            var read = Data()
            while true {
                let piece = try await source.read(maxLength: 1 << 16)
                if piece.isEmpty { return read }
                read.append(piece)
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        let result = await reader.result
        #expect(throws: CancellationError.self) { try result.get() }
        continuation.finish()
    }

    @Test(arguments: [
        // A fluent-bit record as an external indexer stores it: the text of its `log` field.
        (#"{"log":"{\"log\":\"21/10/01 INFO SparkContext: Running Spark\\n\",\"stream\":\"stderr\"}"}"#, "21/10/01 INFO SparkContext: Running Spark"),
        ("plain driver line", "plain driver line"),
        ("", ""),
        (#"log\":\"no end marker"#, #"log\":\"no end marker"#),
    ])
    func fluentBitRecordsAreUnwrappedAsBPGDoes(line: String, expected: String) {
        #expect(String(decoding: ArchivedLogs.rewrite(Data(line.utf8)), as: UTF8.self) == expected)
    }
}
