import Foundation
import GatewayCore
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// A create whose answer is lost is never taken for a failure: it is confirmed or fenced before the
/// job may run elsewhere, so every accepted submission has exactly one live application (the one
/// whose id the client got), a submission that got an error has none, and the records agree.
@Suite(.serialized) struct UnknownOutcomeTests {
    static let a = "spark-cluster-a"
    static let b = "spark-cluster-b"
    static let namespace = "spark-operator"

    /// Two attempts; A is tried first almost always (weights 1000:1) and gives up on a create after 1 s.
    static func preferA(_ configuration: inout GatewayConfiguration) {
        configuration.gateway.routing.maxAttempts = 2
        configuration.sparkClusters[0].timeoutMillis = 1000
        configuration.sparkClusters[0].weight = 1000
        configuration.sparkClusters[1].weight = 1
    }

    static func names(on cluster: SimulatedCluster) -> [String] {
        let page = try? cluster.store.list(.sparkApplications, filter: ObjectFilter(namespace: namespace))
        return (page?.items ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
    }

    static func exists(_ id: String, on cluster: SimulatedCluster) -> Bool {
        (try? cluster.store.get(.sparkApplications, namespace: namespace, name: id)) != nil
    }

    /// Checks the invariant over everything the store and both clusters hold.
    static func expectExactlyOneLiveApplication(
        _ gateway: GatewayHarness, returned ids: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let live = Set(names(on: gateway.cluster(a)) + names(on: gateway.cluster(b)))
        #expect(Set(ids).isSubset(of: live), "every returned id runs", sourceLocation: sourceLocation)
        let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery(limit: 1000)).records
        for record in records {
            let running = live.contains(record.submissionId)
            if ids.contains(record.submissionId) {
                #expect(record.status != SubmissionState.fenced, "\(record.submissionId)", sourceLocation: sourceLocation)
            } else {
                #expect(!running, "\(record.submissionId) (\(record.status ?? "-")) must not run", sourceLocation: sourceLocation)
                #expect(
                    [SubmissionState.fenced, SubmissionState.submissionFailed].contains(record.status ?? ""),
                    "\(record.submissionId) is \(record.status ?? "-")", sourceLocation: sourceLocation)
            }
        }
    }

    /// The reproduction from the hardening issue: A stores the create 2.5 s after it arrived, long
    /// after the gateway gave up (1 s) and its read-back found nothing. The attempt is fenced, the
    /// job runs on B, and the copy that appears on A is deleted (by the fence sweeper: no monitor).
    @Test func aCreateStoredAfterTheClientGaveUpIsFencedAndDeleted() async throws {
        try await withGateway(configure: Self.preferA, monitor: { $0.enabled = false }) { gateway in
            let clusterA = gateway.cluster(Self.a)
            clusterA.delayNextCreates(3, by: .milliseconds(2500))
            var ids: [String] = []
            for _ in 0..<3 { ids.append(try await gateway.submit()) }
            // Normally every attempt on A is fenced and the job runs on B. On a machine so loaded that
            // the read-back reaches A after the late create landed, the attempt is confirmed instead
            // and its id returned: both are correct, and the invariant below holds either way.
            let fenced = try await gateway.gateway.store.listSubmissions(.init(status: SubmissionState.fenced)).records
            let confirmedOnA = ids.filter { $0.hasPrefix(Self.a + "-") }
            #expect(fenced.count + confirmedOnA.count == 3, "\(ids)")
            #expect(fenced.count >= 1, "the late creates outlast the 1 s timeout and read-back")
            #expect(fenced.allSatisfy { $0.clusterId == Self.a && $0.errorMessage?.contains("timeout") == true })
            #expect(try await gateway.gateway.store.listSubmissions(.init(status: SubmissionState.submissionFailed)).records.isEmpty)

            // The late creates land on A, then the sweeper (the only deleter: no monitor) removes the
            // fenced ones. Its count may fall short: on a loaded machine a delete can land after the
            // client's 1 s timeout, and the next sweep then finds nothing.
            try await waitFor("the fenced applications to be deleted", timeout: .seconds(30)) {
                !fenced.contains { Self.exists($0.submissionId, on: clusterA) }
            }
            #expect(gateway.gateway.submissions.fencing.sweeper.deletedApplications <= fenced.count)
            try await Self.expectExactlyOneLiveApplication(gateway, returned: ids)
        }
    }

    /// With the monitor on and a window too short for the sweeper, the monitor deletes what appears.
    @Test func theMonitorDeletesAnApplicationThatAppearsForAFencedAttempt() async throws {
        try await withGateway(
            configure: {
                Self.preferA(&$0)
                $0.gateway.routing.unknownOutcomeWindowSeconds = 1
            }
        ) { gateway in
            let clusterA = gateway.cluster(Self.a)
            clusterA.delayNextCreates(1, by: .seconds(3))
            let id = try await gateway.submit()
            #expect(id.hasPrefix(Self.b + "-"))
            let fenced = try #require(
                try await gateway.gateway.store.listSubmissions(.init(status: SubmissionState.fenced)).records.first)
            // Stored at 3 s, after the 1 s sweep ended: only the monitor can remove it.
            try await waitFor("the monitor to delete the fenced application", timeout: .seconds(15)) {
                (gateway.gateway.monitors?.monitor(cluster: Self.a)?.deletedFencedApplications ?? 0) >= 1
                    && !Self.exists(fenced.submissionId, on: clusterA)
            }
            let record = try #require(try await gateway.gateway.store.submission(id: fenced.submissionId))
            #expect(record.status == SubmissionState.fenced, "the record still says why it never ran")
            try await gateway.waitForState(id, "COMPLETED")
            try await Self.expectExactlyOneLiveApplication(gateway, returned: [id])
        }
    }

    /// The only cluster loses the answer: the client gets an error, and no job runs for it.
    @Test func aClientThatGotAnErrorHasNoJob() async throws {
        try await withGateway(
            configure: {
                Self.preferA(&$0)
                $0.sparkClusters[1].weight = 0
            }, monitor: { $0.enabled = false }
        ) { gateway in
            let clusterA = gateway.cluster(Self.a)
            clusterA.delayNextCreates(1, by: .seconds(3))
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == 503, "\(reply.text)")
            try await waitFor("the late create to be deleted", timeout: .seconds(15)) {
                gateway.gateway.submissions.fencing.sweeper.deletedApplications == 1 && Self.names(on: clusterA).isEmpty
            }
            try await Self.expectExactlyOneLiveApplication(gateway, returned: [])
        }
    }

    /// SIGTERM during a slow create: the record says OUTCOME_UNKNOWN (never failed, never
    /// "cancelled"); after a restart the resolver confirms the application that landed, and a retry
    /// with the same Idempotency-Key gets that id instead of creating a second job.
    @Test func shutdownDuringASlowCreateLeavesAnOutcomeTheRestartSettles() async throws {
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: .uniform(.milliseconds(150)), logger: .disabled)
        defer { Task { await dev.shutdown() } }
        var configuration = dev.configuration.configuration
        configuration.gateway.health.enabled = false
        configuration.gateway.routing.maxAttempts = 2
        configuration.sparkClusters[1].weight = 0
        configuration.sparkClusters[0].timeoutMillis = 30_000
        let path = NSTemporaryDirectory() + "bpg-unknown-\(UUID().uuidString)/bpg.sqlite"

        func start() async throws -> GatewayApplication {
            var options = GatewayApplication.Options(configuration: configuration)
            options.host = "127.0.0.1"
            options.port = 0
            options.shutdownGracePeriod = .milliseconds(500)
            options.unknownOutcomeResolveInterval = .milliseconds(200)
            options.store = try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: path))
            return try await GatewayApplication.start(options)
        }
        func submit(_ gateway: GatewayApplication) async throws -> ClientResponse {
            try await fetch(
                "POST", "http://127.0.0.1:\(gateway.port)/skatev2/spark",
                headers: ["Content-Type: application/json", "User-Account: alice", "Idempotency-Key: job-42"],
                body: Data(DevEnvironment.sparkPiRequest.utf8))
        }

        let clusterA = dev.clusters[0]
        clusterA.delayNextCreates(1, by: .seconds(2))
        let first = try await start()
        let inFlight = Task { try await submit(first) }
        try await waitFor("the create to be in flight", timeout: .seconds(5)) { first.submissions.inFlight.count == 1 }
        await first.shutdown()
        let cut = try? await inFlight.value
        #expect(cut?.status != 200, "the client never got an id for the cut request")

        // The create lands at 2 s on A, while no gateway runs.
        try await waitFor("the late create", timeout: .seconds(10)) { !Self.names(on: clusterA).isEmpty }
        let landed = try #require(Self.names(on: clusterA).first)

        let second = try await start()
        do {
            let record = try #require(try await second.store.submission(id: landed))
            #expect(
                [SubmissionState.outcomeUnknown, SubmissionState.created, "SUBMITTED", "RUNNING"].contains(record.status ?? ""),
                "recorded as unknown, not failed: \(record.status ?? "-")")
            let retried = try await submit(second)
            #expect(retried.status == 200, "\(String(decoding: retried.body, as: UTF8.self))")
            let id = try JSONSerialization.jsonObject(with: retried.body) as? [String: Any]
            #expect(id?["submissionId"] as? String == landed, "the key follows the attempt that survived")
            #expect(Self.names(on: clusterA) == [landed], "no second job")
            try await waitFor("the record to be settled", timeout: .seconds(10)) {
                let status = try await second.store.submission(id: landed)?.status
                return status != SubmissionState.outcomeUnknown && status != SubmissionState.accepted
            }
        } catch {
            await second.shutdown()
            throw error
        }
        await second.shutdown()
    }

    /// A cluster refusing the gateway's credentials is the gateway's fault: fail over, count it against
    /// the cluster's health, and answer 502 naming the cluster when no cluster is left.
    @Test(arguments: [401, 403])
    func aClusterRefusingTheGatewaysCredentialsIsNotTheCallersFault(status: Int) async throws {
        try await withGateway(configure: {
            Self.preferA(&$0)
            $0.gateway.health.enabled = true
            $0.gateway.health.probeIntervalMillis = 60_000
        }) { gateway in
            gateway.cluster(Self.a).failNextCreates(1, status: status)
            let id = try await gateway.submit()
            #expect(id.hasPrefix(Self.b + "-"), "failed over to B")

            gateway.cluster(Self.a).failNextCreates(1, status: status)
            gateway.cluster(Self.b).failNextCreates(1, status: status)
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == 502, "\(reply.text)")
            #expect(reply.text.contains(Self.a) && reply.text.contains(Self.b))
            #expect(reply.text.contains("refused the gateway's credentials"))

            let clusters = try await adminClusters(gateway)
            let a = try #require(clusters.first { $0["id"] as? String == Self.a })
            #expect((a["consecutiveFailures"] as? Int ?? 0) >= 2 || a["health"] as? String != "up", "\(a)")
        }
    }
}
