import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// The application monitor in process: simulated clusters, a real store, the gateway's HTTP API.
@Suite(.serialized)
struct MonitorTests {
    /// Lease timings short enough for tests; the structure is the production one (15 s / 5 s / 5 s).
    static func fast(_ settings: inout MonitorSettings) {
        settings.leaseDuration = .milliseconds(1500)
        settings.renewInterval = .milliseconds(300)
        settings.acquireInterval = .milliseconds(300)
        settings.enforcementInterval = .milliseconds(200)
    }

    @Test(arguments: StoreKind.allCases)
    func transitionsAreRecordedInOrderWithoutDuplicates(store: StoreKind) async throws {
        try await withGateway(
            store: store, timings: .uniform(.milliseconds(200)),
            configure: {
                $0.memoryMbSecondCost = 0.001
                $0.vCoreSecondCost = 0.01
            }, monitor: Self.fast
        ) { harness in
            // Submitted once every monitor has listed its cluster, so the watch sees each transition;
            // on a loaded machine the first list could otherwise come after the job had finished.
            try await waitUntil { harness.gateway.monitors?.monitors.allSatisfy { $0.resyncCount >= 1 } == true }
            let id = try await harness.submit()
            let record = try await waitForRecord(harness, id) { $0.finishedTime != nil }
            #expect(record.status == "COMPLETED")
            let history = try await harness.gateway.store.statusHistory(submissionId: id)
            let observed = history.filter { $0.observedVersion > 0 }
            let everyTransition = ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"]
            if harness.gateway.monitors?.monitors.allSatisfy({ $0.resyncCount == 1 }) == true {
                #expect(observed.map(\.status) == everyTransition)
            } else {
                // A watch that had to re-list (as a real one does after a 410 or a dropped connection)
                // sees the current state, not the ones in between: a subsequence, never a reordering.
                var remaining = everyTransition[...]
                for status in observed.map(\.status) {
                    guard let index = remaining.firstIndex(of: status) else {
                        Issue.record("\(observed.map(\.status)) is not in the order \(everyTransition)")
                        break
                    }
                    remaining = remaining[(index + 1)...]
                }
                #expect(observed.last?.status == "COMPLETED")
            }
            #expect(zip(observed, observed.dropFirst()).allSatisfy { $0.observedVersion < $1.observedVersion })
            #expect(Set(history.map(\.status)).count == history.count, "no duplicate rows: \(history.map(\.status))")
            #expect(record.appId?.hasPrefix("spark-") == true)
            #expect(record.startTime != nil)
            #expect(record.driverCores == 1)
            #expect(record.driverMemoryMb == 2048)
            #expect(record.executorInstances == 2)
            #expect(record.executorMemoryMb == 2048)
            #expect(record.cost != nil)
            let monitor = try #require(harness.gateway.monitors?.monitor(cluster: record.clusterId ?? ""))
            #expect(monitor.eventsProcessed >= observed.count)
            // The figures reach /metrics.
            let metrics = try await harness.send("GET", "/metrics", user: nil, fromRoot: true)
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains("bpg_monitor_events_total{cluster=\"\(monitor.cluster.id)\"} "))
            #expect(text.contains("bpg_monitor_lag_seconds{cluster=\"\(monitor.cluster.id)\"} "))
        }
    }

    @Test func unknownStatesAreStoredAsTheyAreAndReplaysIgnored() async throws {
        try await withGateway(monitor: { $0.enabled = false }) { harness in
            let store = harness.gateway.store
            let cluster = try #require(harness.gateway.clusters.cluster(id: "spark-cluster-a"))
            let monitor = ApplicationMonitor(cluster: cluster, store: store, settings: MonitorSettings(), rates: nil, logger: .disabled)
            let id = "spark-cluster-a-0123456789abcdef0123456789abcdef"
            _ = try await store.insertSubmission(NewSubmission(submissionId: id, user: "alice"))
            for (version, state) in [(5, "SUSPENDING"), (4, "RUNNING"), (7, "SUSPENDED"), (7, "SUSPENDED"), (6, "RESUMING")] {
                let observation = try #require(ApplicationObservation(try Self.application(id, version: version, state: state)))
                await monitor.apply(observation, live: true)
            }
            let history = try await store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }
            #expect(history.map(\.status) == ["SUSPENDING", "SUSPENDED"])
            #expect(try await store.submission(id: id)?.status == "SUSPENDED")
        }
    }

    @Test(arguments: [
        ("500m", 1 as Int?, "512m", 512 as Int?), ("2", 2, "2g", 2048), ("1500m", 2, "1.5g", 1536), ("x", nil, "7", nil),
    ])
    func resourcesParseKubernetesQuantities(cores: String, expectedCores: Int?, memory: String, expectedMemory: Int?) {
        #expect(ApplicationObservation.cores(request: cores, cores: nil) == expectedCores)
        #expect(ApplicationObservation.megabytes(memory) == expectedMemory)
    }

    @Test func stoppedMonitorCatchesUpOnRestart() async throws {
        try await withGateway(timings: .uniform(.milliseconds(150)), monitor: Self.fast) { harness in
            let monitors = try #require(harness.gateway.monitors)
            try await waitUntil { monitors.monitors.allSatisfy(\.isActive) }
            await monitors.stop()
            var ids: [String] = []
            for _ in 0..<4 { ids.append(try await harness.submit()) }
            // The applications finish on the clusters while no monitor runs.
            for id in ids {
                let cluster = try harness.gateway.clusters.cluster(ofSubmission: id)
                try await waitUntil {
                    let application = try? await cluster.kubernetes.get(
                        SparkApplication.self, .sparkApplications, namespace: cluster.namespace, name: id)
                    return application?.status?.applicationState?.state == .completed
                }
                #expect(try await harness.gateway.store.submission(id: id)?.finishedTime == nil)
            }
            monitors.start()
            for id in ids {
                let record = try await waitForRecord(harness, id) { $0.finishedTime != nil }
                #expect(record.status == "COMPLETED")
                #expect(record.appId != nil)
                // Start time from the driver pods' list, so the cost could be computed too.
                #expect(record.startTime != nil)
                #expect(record.driverMemoryMb == 2048)
            }
        }
    }

    @Test func expiredWatchIsRelistedAndNothingIsMissed() async throws {
        try await withGateway(
            timings: SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(600), run: .milliseconds(300)),
            configure: { $0.sparkClusters[1].weight = 0 },
            monitor: {
                Self.fast(&$0)
                $0.watchTimeoutSeconds = 1
            },
            simulator: {
                // The server remembers two changes (of any resource: driver pods, events…) and sends
                // no bookmarks, so a watch reopened after its 1 s timeout is too old (410) and the
                // monitor must list again.
                $0.watchHistoryLimit = 2
                $0.bookmarkInterval = .seconds(3600)
            }
        ) { harness in
            let monitor = try #require(harness.gateway.monitors?.monitor(cluster: "spark-cluster-a"))
            try await waitUntil { monitor.isActive && monitor.resyncCount >= 1 }
            // Other resources keep changing while the jobs run (as pods and events do on a busy
            // cluster), so at each reopening after the 1 s timeout the monitor's last application
            // event has left the two-change history: the watch is too old.
            let simulated = try #require(harness.dev.clusters.first)
            let namespace = try #require(harness.gateway.clusters.clusters.first?.namespace)
            let churn = Task {
                var serial = 0
                while !Task.isCancelled {
                    serial += 1
                    simulated.putSecret(namespace: namespace, name: "churn", data: ["n": Data("\(serial)".utf8)])
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            defer { churn.cancel() }
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 { group.addTask { try await harness.submit() } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            for id in ids {
                let record = try await waitForRecord(harness, id) { $0.finishedTime != nil }
                #expect(record.status == "COMPLETED")
            }
            #expect(monitor.resyncCount >= 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oneActiveMonitorPerClusterAndTakeoverAfterKill(store: StoreKind) async throws {
        try await withGateway(store: store, monitor: {
            Self.fast(&$0)
            $0.holder = "replica-a"
        }) { harness in
            let first = try #require(harness.gateway.monitors)
            var settings = MonitorSettings()
            Self.fast(&settings)
            settings.holder = "replica-b"
            let second = ApplicationMonitors(
                clusters: harness.gateway.clusters, store: harness.gateway.store, configuration: harness.dev.configuration.configuration,
                settings: settings, logger: .disabled)
            try await waitUntil { first.monitors.allSatisfy(\.isActive) }
            second.start()
            // For a while, with both replicas competing: exactly one active monitor per cluster.
            for _ in 0..<10 {
                for (a, b) in zip(first.monitors, second.monitors) {
                    #expect(a.isActive != b.isActive)
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(second.monitors.allSatisfy { $0.recordsAreMonitored })
            // Kill the first: its lease is not released and must lapse.
            let killed = ContinuousClock.now
            await first.stop(releasingLeases: false)
            try await waitUntil(timeout: .seconds(10)) { second.monitors.allSatisfy(\.isActive) }
            let takeover = ContinuousClock.now - killed
            #expect(takeover <= settings.leaseDuration + settings.acquireInterval + .seconds(1))
            // The survivor keeps the records current.
            let id = try await harness.submit()
            let record = try await waitForRecord(harness, id) { $0.finishedTime != nil }
            #expect(record.status == "COMPLETED")
            await second.stop()
        }
    }

    @Test func maxRunningTimeStopsRunningApplicationsOnly() async throws {
        var index = 0
        try await withGateway(
            timings: SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60)),
            monitor: Self.fast,
            simulator: { cluster in
                // Cluster b finishes its applications quickly; cluster a runs them for a minute.
                if index == 1 { cluster.operatorTimings.run = .milliseconds(100) }
                index += 1
            }
        ) { harness in
            var byCluster: [String: String] = [:]
            for _ in 0..<30 where byCluster.count < 2 {
                let request = DevEnvironment.sparkPiRequest.replacingOccurrences(
                    of: #""arguments":["1000"],"#, with: #""arguments":["1000"],"sparkConf":{"bpg.maxRunningMillis":"1500"},"#)
                let id = try await harness.submit(request)
                let cluster = try harness.gateway.clusters.cluster(ofSubmission: id)
                if byCluster[cluster.id] == nil { byCluster[cluster.id] = id }
            }
            let running = try #require(byCluster["spark-cluster-a"])
            let finished = try #require(byCluster["spark-cluster-b"])
            let a = try #require(harness.gateway.clusters.cluster(id: "spark-cluster-a"))
            let b = try #require(harness.gateway.clusters.cluster(id: "spark-cluster-b"))
            // Stopped as BPG does: its driver pod deleted, the application failed by the operator and kept.
            try await waitUntil(timeout: .seconds(10)) {
                let application = try? await a.kubernetes.get(
                    SparkApplication.self, .sparkApplications, namespace: a.namespace, name: running)
                return application?.status?.applicationState?.state == .failed
            }
            #expect(harness.gateway.monitors?.monitor(cluster: "spark-cluster-a")?.deletedForRunningTooLong ?? 0 >= 1)
            // The finished one is older than its limit too, and is left alone.
            try await Task.sleep(for: .milliseconds(1000))
            let kept = try await b.kubernetes.get(SparkApplication.self, .sparkApplications, namespace: b.namespace, name: finished)
            #expect(kept.status?.applicationState?.state == .completed)
            #expect(harness.gateway.monitors?.monitor(cluster: "spark-cluster-b")?.deletedForRunningTooLong == 0)
        }
    }

    @Test func statusIsServedFromTheRecordWithoutTheCluster() async throws {
        try await withGateway(timings: .uniform(.milliseconds(100)), monitor: Self.fast) { harness in
            let id = try await harness.submit()
            let record = try await waitForRecord(harness, id) { $0.finishedTime != nil }
            // The cluster now takes 20 s per request: a cluster read would show.
            let simulated = harness.cluster(record.clusterId ?? "")
            simulated.setLatency(.seconds(20))
            let started = ContinuousClock.now
            let reply = try await harness.send("GET", "/spark/\(id)/status")
            let elapsed = ContinuousClock.now - started
            simulated.setLatency(.zero)
            #expect(elapsed < .seconds(10))
            #expect(reply.status == 200, "\(reply.text)")
            let body = try reply.json()
            #expect(body["applicationState"] as? String == "COMPLETED")
            #expect(body["sparkApplicationId"] as? String == record.appId)
            #expect(body["terminationTime"] != nil)
            #expect((body["duration"] as? Int ?? -1) >= 0)
            // Backlog counts: nothing pending or running once everything finished.
            let load = try #require(harness.gateway.monitors?.load())
            #expect(load.count == 2)
            #expect(load.values.allSatisfy { $0.pending == 0 && $0.running == 0 })
        }
    }

    @Test func applicationDeletedWhileRunningIsNotReportedRunning() async throws {
        try await withGateway(
            timings: SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60)),
            monitor: Self.fast
        ) { harness in
            let id = try await harness.submit()
            _ = try await waitForRecord(harness, id) { $0.status == "RUNNING" }
            #expect(try await harness.send("DELETE", "/spark/\(id)").status == 200)
            let record = try await waitForRecord(harness, id) { $0.status == ApplicationMonitor.deletedState }
            #expect(record.finishedTime == nil)
            // Status goes to the cluster again, which no longer knows it: BPG's 404.
            #expect(try await harness.send("GET", "/spark/\(id)/status").status == 404)
        }
    }

    // MARK: Helpers

    static func application(_ name: String, version: Int, state: String) throws -> SparkApplication {
        let json = """
            {"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication",
             "metadata":{"name":"\(name)","namespace":"spark-operator","resourceVersion":"\(version)"},
             "spec":{"driver":{"cores":1,"coreRequest":"500m","memory":"512m"},"executor":{"instances":1}},
             "status":{"applicationState":{"state":"\(state)"}}}
            """
        return try JSONDecoder().decode(SparkApplication.self, from: Data(json.utf8))
    }
}

/// Polls `condition` every 50 ms until it holds.
func waitUntil(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw HarnessError("condition not met within \(timeout)")
}

/// Polls the store until the submission's record satisfies `condition`.
func waitForRecord(
    _ harness: GatewayHarness, _ id: String, timeout: Duration = .seconds(15), _ condition: (SubmissionRecord) -> Bool
) async throws -> SubmissionRecord {
    var last: SubmissionRecord?
    do {
        try await waitUntil(timeout: timeout) {
            last = try await harness.gateway.store.submission(id: id)
            return last.map(condition) ?? false
        }
    } catch {
        throw HarnessError("record of \(id) not as expected within \(timeout); last: \(String(describing: last))")
    }
    guard let last else { throw HarnessError("no record of \(id)") }
    return last
}
