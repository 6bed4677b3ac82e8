import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import Testing

@testable import Gateway

/// Failover with health checking on and two attempts: cluster A refusing connections, answering 500,
/// then too slow; every submission succeeds on B; A comes back once it recovers. A non-retriable
/// answer is returned as it is.
@Suite(.serialized) struct FailoverTests {
    static let a = "spark-cluster-a"
    static let b = "spark-cluster-b"

    /// Health on (dev mode's default), two attempts, fast probes, and a 1 s request timeout on A so a
    /// slow A times out quickly.
    static func configure(_ configuration: inout GatewayConfiguration) {
        configuration.gateway.health.enabled = true
        configuration.gateway.health.probeIntervalMillis = 100
        configuration.gateway.health.probeTimeoutMillis = 300
        configuration.gateway.routing.maxAttempts = 2
        configuration.sparkClusters[0].timeoutMillis = 1000
    }

    /// Submits `count` SparkPi jobs from `concurrency` tasks; returns every reply.
    static func submitMany(_ gateway: GatewayHarness, count: Int, concurrency: Int = 6) async throws -> [Reply] {
        try await withThrowingTaskGroup(of: [Reply].self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var replies: [Reply] = []
                    for _ in stride(from: worker, to: count, by: concurrency) {
                        replies.append(try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest))
                    }
                    return replies
                }
            }
            var all: [Reply] = []
            for try await replies in group { all += replies }
            return all
        }
    }

    /// The submission ids of successful replies; records every failure.
    static func ids(_ replies: [Reply], phase: String) throws -> [String] {
        var ids: [String] = []
        for reply in replies {
            guard reply.status == 200, let id = try? reply.json()["submissionId"] as? String else {
                Issue.record("\(phase): submit answered \(reply.status): \(reply.text)")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    static func exists(_ id: String, on cluster: SimulatedCluster) -> Bool {
        (try? cluster.store.get(.sparkApplications, namespace: "spark-operator", name: id)) != nil
    }

    /// Consumes injected create failures left on a cluster (the simulator has no way to clear them).
    static func drainInjectedFailures(_ gateway: GatewayHarness, cluster id: String) async throws {
        let client = try #require(gateway.gateway.clusters.cluster(id: id)).kubernetes
        for attempt in 0..<1000 {
            let json = """
                {"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication",\
                "metadata":{"name":"drain-\(attempt)"},"spec":{"type":"Scala","mode":"cluster"}}
                """
            let object = try JSONDecoder().decode(UntypedObject.self, from: Data(json.utf8))
            switch await Self.create(object, with: client) {
            case nil:
                try? await client.delete(.sparkApplications, namespace: "spark-operator", name: "drain-\(attempt)")
                return
            case let error? where error.httpStatus == 500:
                continue
            case let error? where error.httpStatus == 422:
                return  // past the injected failures: the simulator validated (and refused) the object
            case let error?:
                throw error
            }
        }
        throw HarnessError("\(id) still fails creates after 1000 attempts")
    }

    private static func create(_ object: UntypedObject, with client: KubernetesClient) async -> KubeError? {
        do {
            _ = try await client.create(object, in: .sparkApplications, namespace: "spark-operator")
            return nil
        } catch {
            return error
        }
    }

    @Test func everySubmissionSucceedsOnBWhileAIsDownThenALandsJobsAgain() async throws {
        try await withGateway(transport: .live, configure: Self.configure) { gateway in
            let clusterA = gateway.cluster(Self.a)
            let clusterB = gateway.cluster(Self.b)
            try await waitFor("both clusters up") {
                try await adminClusters(gateway).allSatisfy { $0["health"] as? String == "up" }
            }

            // 1. A refuses connections.
            await clusterA.stopAnswering()
            var ids = try Self.ids(try await Self.submitMany(gateway, count: 200), phase: "refused")

            // 2. A answers again, but every create gets a 500 (its probe keeps succeeding, so A keeps
            //    being tried and every try fails over). Each of the 300 submissions below reaches A's
            //    create at most once, so 400 failures outlast both phases.
            clusterA.failNextCreates(400, status: 500)
            try clusterA.resumeAnswering()
            ids += try Self.ids(try await Self.submitMany(gateway, count: 150), phase: "500")

            // 3. A is slower than its 1 s request timeout.
            clusterA.setLatency(.seconds(3))
            ids += try Self.ids(try await Self.submitMany(gateway, count: 150), phase: "slow")

            #expect(ids.count == 500)
            #expect(Set(ids).count == ids.count)
            let onB = ids.filter { $0.hasPrefix(Self.b + "-") }
            #expect(onB.count == 500, "every submission landed on B")
            #expect(ids.allSatisfy { Self.exists($0, on: clusterB) }, "each returned id exists on B")
            let report = try await gateway.send("GET", "/admin/clusters").json()
            #expect((report["failovers"] as? Int ?? 0) > 0, "some submissions tried A first and moved to B")

            // 4. A recovers: probes mark it up, and it gets submissions again.
            clusterA.setLatency(.zero)
            try await Self.drainInjectedFailures(gateway, cluster: Self.a)
            try await waitFor("A back up", timeout: .seconds(20)) {
                try await adminClusters(gateway)[0]["health"] as? String == "up"
            }
            let after = try Self.ids(try await Self.submitMany(gateway, count: 40, concurrency: 4), phase: "recovered")
            let onA = after.filter { $0.hasPrefix(Self.a + "-") }
            #expect(!onA.isEmpty, "A takes submissions again (weights 50/50: 40 on B alone has odds 2^-40)")
            #expect(onA.allSatisfy { Self.exists($0, on: clusterA) })
        }
    }

    @Test func aFailedAttemptKeepsItsRecordAndTheClientGetsTheFinalId() async throws {
        try await withGateway(configure: Self.configure) { gateway in
            // Both clusters fail the next create once: whichever is tried first fails over to the other,
            // which then fails too; the third submission succeeds wherever it goes.
            gateway.cluster(Self.a).failNextCreates(1, status: 503)
            gateway.cluster(Self.b).failNextCreates(1, status: 503)
            let first = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(first.status == 503)
            #expect(first.headers["retry-after"] == "5")
            let id = try await gateway.submit()
            #expect(await gateway.gateway.submissions.outcomes.flush(timeout: .seconds(10)), "the outcome is written after the response")
            let record = try #require(try await gateway.gateway.store.submission(id: id))
            #expect(record.status == "CREATED" || record.status == "SUBMITTED" || record.status == "RUNNING")
            // A 5xx may come from a server that stored the object anyway: each attempt was read back,
            // found missing and fenced (never failed), and keeps the answer it got.
            let fenced = try await gateway.gateway.store.listSubmissions(.init(status: SubmissionState.fenced))
            #expect(fenced.records.count == 2, "both abandoned attempts keep a record with their error")
            #expect(fenced.records.allSatisfy { $0.errorMessage?.contains("HTTP 503") == true })
        }
    }

    /// Only A is eligible (B drained to weight 0), with a 3 s request timeout.
    static func onlyA(_ configuration: inout GatewayConfiguration) {
        configure(&configuration)
        configuration.sparkClusters[0].timeoutMillis = 3000
        configuration.sparkClusters[1].weight = 0
        configuration.gateway.health.probeIntervalMillis = 60_000
    }

    @Test func aTimedOutCreateThatHappenedCountsAsCreated() async throws {
        try await withGateway(configure: Self.onlyA) { gateway in
            let clusterA = gateway.cluster(Self.a)
            // The create waits 4 s in the API server, so its answer is lost to the 3 s timeout; the
            // read-back sent then waits 2 s and finds the application stored at 4 s.
            clusterA.setLatency(.seconds(4))
            let task = Task { try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest) }
            try await Task.sleep(for: .milliseconds(500))
            clusterA.setLatency(.seconds(2))
            let reply = try await task.value
            #expect(reply.status == 200, "\(reply.text)")
            let id = try #require(try reply.json()["submissionId"] as? String)
            #expect(id.hasPrefix(Self.a + "-"))
            #expect(Self.exists(id, on: clusterA))
            let record = try #require(try await gateway.gateway.store.submission(id: id))
            #expect(record.status != "SUBMISSION_FAILED" && record.status != SubmissionState.fenced)
            let failed = try await gateway.gateway.store.listSubmissions(.init(status: "SUBMISSION_FAILED"))
            #expect(failed.records.isEmpty)
        }
    }

    @Test func aTimedOutCreateThatCannotBeReadBackIsFencedAndDeleted() async throws {
        try await withGateway(configure: Self.onlyA) { gateway in
            let clusterA = gateway.cluster(Self.a)
            // Create, read-back and the fence's deletes all wait 4 s: the create lands at 4 s, and a
            // delete the sweeper sent after it removes it.
            clusterA.setLatency(.seconds(4))
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == 503, "the only eligible cluster timed out: \(reply.text)")
            let fenced = try await gateway.gateway.store.listSubmissions(.init(status: SubmissionState.fenced))
            let record = try #require(fenced.records.first)
            #expect(record.errorMessage?.contains("timeout") == true)
            #expect(Self.exists(record.submissionId, on: clusterA), "the create did land after the client gave up")
            try await waitFor("the late create to be deleted", timeout: .seconds(20)) {
                !Self.exists(record.submissionId, on: clusterA)
            }
        }
    }

    @Test(arguments: [422, 409])
    func aNonRetriableAnswerIsReturnedAsIs(status: Int) async throws {
        try await withGateway(configure: Self.configure) { gateway in
            gateway.cluster(Self.a).failNextCreates(1, status: status)
            gateway.cluster(Self.b).failNextCreates(1, status: status)
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == status, "\(reply.text)")
            #expect(reply.text.contains("rejected the SparkApplication"))
            // No failover: exactly one of the two injected failures was used.
            let report = try await gateway.send("GET", "/admin/clusters").json()
            #expect(report["failovers"] as? Int == 0)
            let next = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            let afterwards = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect([next.status, afterwards.status].filter { $0 == 200 }.count >= 1)
            // A 4xx says the API server works: neither cluster is marked down.
            #expect(try await adminClusters(gateway).allSatisfy { $0["health"] as? String != "down" })
        }
    }
}
