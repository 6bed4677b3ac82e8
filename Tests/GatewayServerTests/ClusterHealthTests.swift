import Foundation
import GatewayCore
import KubeClient
import Synchronization
import Testing

@testable import Gateway

/// The health tracker with stand-in probes (no sockets), and `GET /admin/clusters` on a gateway
/// (live where a cluster must refuse connections).
@Suite(.serialized) struct ClusterHealthTests {
    /// A probe whose answer the test switches.
    final class SwitchableProbe: Sendable {
        enum Answer { case ok, refused, serverError, forbidden, notFound, hang }
        private let answer = Mutex(Answer.ok)
        func set(_ value: Answer) { answer.withLock { $0 = value } }

        var probe: ClusterHealthTracker.Probe {
            { () async throws(KubeError) -> Duration in
                switch self.answer.withLock({ $0 }) {
                case .ok: return .milliseconds(3)
                case .refused: throw KubeError(code: .connectionRefused, clusterID: "a", message: "Connection refused")
                case .serverError: throw KubeError(code: .serverError, clusterID: "a", httpStatus: 500, message: "boom")
                case .forbidden: throw KubeError(code: .forbidden, clusterID: "a", httpStatus: 403, message: "no")
                case .notFound: throw KubeError(code: .notFound, clusterID: "a", httpStatus: 404, message: "no such path")
                case .hang:
                    try? await Task.sleep(for: .seconds(30))
                    return .zero
                }
            }
        }
    }

    /// - Parameter probeIntervalMillis: also sets the breaker's cool-down (three intervals). Tests that
    ///   drive `probeAll()` themselves keep it long, so that a loaded machine cannot let the cool-down
    ///   elapse between two probes (a breaker found half-open right after opening).
    static func settings(enabled: Bool = true, probeIntervalMillis: Int64 = 10_000) -> GatewaySettings.Health {
        var settings = GatewaySettings.Health()
        settings.enabled = enabled
        settings.probeIntervalMillis = probeIntervalMillis
        settings.probeTimeoutMillis = 100
        settings.failureThreshold = 3
        settings.recoveryThreshold = 2
        return settings
    }

    func tracker(_ probe: SwitchableProbe, enabled: Bool = true, probeIntervalMillis: Int64 = 10_000) -> ClusterHealthTracker {
        ClusterHealthTracker(
            clusters: [(id: "a", weight: 50), (id: "b", weight: 0)],
            probes: ["a": probe.probe, "b": { () async throws(KubeError) -> Duration in .milliseconds(1) }],
            settings: Self.settings(enabled: enabled, probeIntervalMillis: probeIntervalMillis))
    }

    @Test func probesOpenTheBreakerAfterTheThresholdAndCloseItAfterRecovery() async {
        let probe = SwitchableProbe()
        let tracker = tracker(probe)
        #expect(tracker.snapshot() == ["a": .unknown, "b": .unknown])
        await tracker.probeAll()
        #expect(tracker.snapshot() == ["a": .up, "b": .up])

        probe.set(.refused)
        await tracker.probeAll()
        await tracker.probeAll()
        #expect(tracker.snapshot()["a"] == .degraded, "two failures are below the threshold of three")
        await tracker.probeAll()
        #expect(tracker.snapshot()["a"] == .down)
        let detail = tracker.details()[0]
        #expect(detail.state == "open")
        #expect(detail.consecutiveFailures == 3)
        #expect(detail.lastError?.contains("connectionRefused") == true)

        probe.set(.ok)
        await tracker.probeAll()
        #expect(tracker.details()[0].state == "halfOpen")
        #expect(tracker.snapshot()["a"] == .degraded)
        await tracker.probeAll()
        #expect(tracker.snapshot()["a"] == .up)
        #expect(tracker.details()[0].latencyMs == 3)
    }

    @Test func aProbeThatHangsTimesOutAsAFailure() async {
        let probe = SwitchableProbe()
        probe.set(.hang)
        let tracker = tracker(probe)
        let start = ContinuousClock.now
        for _ in 0..<3 { await tracker.probeAll() }
        #expect(ContinuousClock.now - start < .seconds(5), "each probe is cut at probeTimeoutMillis")
        #expect(tracker.snapshot()["a"] == .down)
        #expect(tracker.details()[0].lastError?.contains("timeout") == true)
    }

    @Test func a4xxAnswerMeansTheServerWorks() async {
        let probe = SwitchableProbe()
        probe.set(.notFound)
        let tracker = tracker(probe)
        for _ in 0..<5 { await tracker.probeAll() }
        #expect(tracker.snapshot()["a"] == .up)
    }

    /// 401/403: the server works, but not for the gateway, whose credentials it refuses.
    @Test func refusingTheGatewaysCredentialsMarksTheClusterDown() async {
        let probe = SwitchableProbe()
        probe.set(.forbidden)
        let tracker = tracker(probe)
        for _ in 0..<5 { await tracker.probeAll() }
        #expect(tracker.snapshot()["a"] == .down)
    }

    @Test func createOutcomesFeedTheBreakerToo() {
        let tracker = tracker(SwitchableProbe())
        let failure = KubeError(code: .serverError, clusterID: "a", httpStatus: 503, message: "unavailable")
        for _ in 0..<3 { tracker.record(clusterId: "a", error: failure, latency: .milliseconds(20)) }
        #expect(tracker.snapshot()["a"] == .down)
        // Neither a rejected request (422) nor a local cancellation says anything bad about the cluster.
        tracker.record(clusterId: "b", error: KubeError(code: .cancelled, clusterID: "b", message: ""), latency: nil)
        #expect(tracker.snapshot()["b"] == .unknown)
        tracker.record(
            clusterId: "b", error: KubeError(code: .invalid, clusterID: "b", httpStatus: 422, message: "bad"), latency: nil)
        #expect(tracker.snapshot()["b"] == .up)
    }

    @Test func disabledHealthCheckingNeverSkipsAClusterButStillReports() async {
        let probe = SwitchableProbe()
        probe.set(.serverError)
        let tracker = tracker(probe, enabled: false)
        for _ in 0..<3 { await tracker.probeAll() }
        #expect(tracker.snapshot().isEmpty)
        #expect(tracker.routingSnapshot().health.isEmpty)
        #expect(tracker.details()[0].state == "open")
        #expect(tracker.report().healthChecking == false)
    }

    @Test func theProbeTaskRunsUntilShutdown() async throws {
        let probe = SwitchableProbe()
        let tracker = tracker(probe, probeIntervalMillis: 50)
        tracker.start()
        try await waitFor("the first background probe") { tracker.snapshot()["a"] == .up }
        await tracker.shutdown()
        probe.set(.refused)
        try await Task.sleep(for: .milliseconds(300))
        #expect(tracker.snapshot()["a"] == .up, "no probe runs after shutdown")
        tracker.start()
        try await Task.sleep(for: .milliseconds(200))
        #expect(tracker.snapshot()["a"] == .up, "a stopped tracker does not start again")
    }

    @Test func backlogComesFromTheLoadProvider() {
        let tracker = tracker(SwitchableProbe())
        #expect(tracker.details().allSatisfy { $0.backlog == nil })
        tracker.setLoadProvider { ["a": ClusterLoad(pending: 7, running: 2)] }
        #expect(tracker.details()[0].backlog == .init(pending: 7, running: 2))
        #expect(tracker.routingSnapshot().load["a"] == ClusterLoad(pending: 7, running: 2))
    }

    @Test func devModeTurnsOnHealthCheckingAndFailover() async throws {
        let dev = try await DevEnvironment.start(sqlitePath: nil, logger: .disabled)
        let gateway = dev.configuration.configuration.gateway
        await dev.shutdown()
        #expect(gateway.health.enabled)
        #expect(gateway.routing.maxAttempts == 2)
        // BPG's configuration (no `gateway:` section) gets both too, with three candidates.
        #expect(GatewaySettings.Health().enabled)
        #expect(GatewaySettings.Routing().maxAttempts == 3)
    }

    // MARK: Live

    @Test func adminClustersShowsEveryClusterAndFollowsAnOutage() async throws {
        try await withGateway(transport: .live, configure: { configuration in
            configuration.gateway.health.enabled = true
            configuration.gateway.health.probeIntervalMillis = 100
            configuration.gateway.health.probeTimeoutMillis = 500
        }) { gateway in
            gateway.gateway.health.setLoadProvider { ["spark-cluster-b": ClusterLoad(pending: 4, running: 1)] }
            try await waitFor("both clusters up") {
                let clusters = try await adminClusters(gateway)
                return clusters.allSatisfy { $0["health"] as? String == "up" }
            }
            let reply = try await gateway.send("GET", "/admin/clusters")
            #expect(reply.status == 200)
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
            let body = try reply.json()
            #expect(body["healthChecking"] as? Bool == true)
            #expect(body["failovers"] as? Int == 0)
            let clusters = try #require(body["clusters"] as? [[String: Any]])
            #expect(clusters.map { $0["id"] as? String } == DevEnvironment.clusterIds)
            #expect(clusters.map { $0["weight"] as? Int } == [50, 50])
            #expect(clusters.allSatisfy { $0["state"] as? String == "closed" && $0["consecutiveFailures"] as? Int == 0 })
            #expect(clusters.allSatisfy { $0["latencyMs"] is Int })
            #expect(clusters[0]["backlog"] == nil || clusters[0]["backlog"] is NSNull)
            let backlog = try #require(clusters[1]["backlog"] as? [String: Any])
            #expect(backlog["pending"] as? Int == 4)
            #expect(backlog["running"] as? Int == 1)

            await gateway.cluster("spark-cluster-a").stopAnswering()
            try await waitFor("cluster a down") {
                try await adminClusters(gateway)[0]["health"] as? String == "down"
            }
            let down = try await adminClusters(gateway)[0]
            #expect(down["state"] as? String == "open")
            #expect((down["consecutiveFailures"] as? Int ?? 0) >= 3)
            let lastError = try #require(down["lastError"] as? String)
            #expect(lastError.contains("spark-cluster-a"))
            #expect(!lastError.contains("dev-"), "no bearer token in the error")

            // BPG's health check is unchanged while a cluster is down.
            let status = try await gateway.send("GET", "/healthcheck/status")
            #expect(status.status == 200)
            #expect(status.text.replacingOccurrences(of: " ", with: "") == #"{"status":"OK"}"#)

            try gateway.cluster("spark-cluster-a").resumeAnswering()
            try await waitFor("cluster a back up") {
                try await adminClusters(gateway)[0]["health"] as? String == "up"
            }
        }
    }

    @Test func adminClustersFollowsTheAdminRule() async throws {
        try await withGateway(configure: { $0.gateway.auth.adminUsers = ["root"] }) { gateway in
            let alice = try await gateway.send("GET", "/admin/clusters", user: "alice")
            let root = try await gateway.send("GET", "/admin/clusters", user: "root")
            let anonymous = try await gateway.send("GET", "/admin/clusters", user: nil)
            #expect(alice.status == 403)
            #expect(root.status == 200)
            #expect(anonymous.status == 401)
        }
    }
}

func adminClusters(_ gateway: GatewayHarness, user: String = "alice") async throws -> [[String: Any]] {
    let reply = try await gateway.send("GET", "/admin/clusters", user: user)
    guard reply.status == 200, let clusters = try reply.json()["clusters"] as? [[String: Any]] else {
        throw HarnessError("admin/clusters answered \(reply.status): \(reply.text)")
    }
    return clusters
}

/// Polls `condition` every 100 ms until it holds, or throws after `timeout`.
func waitFor(
    _ what: String, timeout: Duration = .seconds(15), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw HarnessError("timed out waiting for \(what)")
}
