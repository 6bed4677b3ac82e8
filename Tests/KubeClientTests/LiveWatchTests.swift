import Foundation
import KubeClient
import KubeSimulator
import Synchronization
import Testing

/// The informer against the simulator: resync, changes, server-side stream end, 410 expiry,
/// an API server restart, an idle (dropped) connection, and cancellation.
struct LiveWatchTests {
    let namespace = LiveCluster.namespace

    /// Collects an informer's events as labels ("added:x") until cancelled.
    final class Collector: Sendable {
        final class Labels: Sendable {
            let value = Mutex<[String]>([])
        }
        private let labels = Labels()
        private let task: Task<Void, Never>

        init(_ stream: AsyncStream<ClientWatchEvent<SparkApplication>>) {
            let labels = self.labels
            task = Task {
                for await event in stream {
                    labels.value.withLock { $0.append(event.label { $0.metadata.name ?? "?" }) }
                }
                labels.value.withLock { $0.append("end") }
            }
        }

        var events: [String] { labels.value.withLock { $0 } }

        func waitFor(_ label: String, timeout: Duration = .seconds(10)) async throws {
            try await eventually(timeout: timeout, "event \(label) (have \(events))") { events.contains(label) }
        }

        func count(where predicate: (String) -> Bool) -> Int { events.filter(predicate).count }

        func cancel() async {
            task.cancel()
            await task.value
        }
    }

    static let fastBackoff = WatchBackoff(initial: .milliseconds(50), maximum: .milliseconds(300))

    @Test func resyncsThenDeliversChanges() async throws {
        // The simulated operator writes the application's status: that is the MODIFIED event.
        let live = try await LiveCluster.start(simulator: { $0.operatorTimings = .uniform(.milliseconds(50)) })
        try live.cluster.seedApplication(namespace: namespace, name: "a")
        try live.cluster.seedApplication(namespace: namespace, name: "b")
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace))
        try await collector.waitFor("resynced:[a,b]")
        _ = try await live.client.create(SparkApplication.sparkPi("c"), in: .sparkApplications, namespace: namespace)
        try await collector.waitFor("added:c")
        try await collector.waitFor("modified:c")
        try await live.client.delete(.sparkApplications, namespace: namespace, name: "c")
        try await collector.waitFor("deleted:c")
        let events = collector.events.filter { !$0.hasSuffix(":a") && !$0.hasSuffix(":b") }  // the operator touches a and b too
        #expect(Array(events.prefix(2)) == ["resynced:[a,b]", "added:c"])
        #expect(events.last == "deleted:c")
        #expect(events.dropFirst(2).dropLast().allSatisfy { $0 == "modified:c" })
        await collector.cancel()
        #expect(collector.events.last == "end", "cancelling the consumer ends the stream")
        await live.stop()
    }

    @Test func aServerSideEndReconnectsAtOnceWithoutRelisting() async throws {
        let live = try await LiveCluster.start()
        let options = WatchOptions(timeoutSeconds: 1, backoff: Self.fastBackoff)
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace, options: options))
        try await collector.waitFor("resynced:[]")
        try await Task.sleep(for: .milliseconds(2500))  // at least two server-side ends
        try live.cluster.seedApplication(namespace: namespace, name: "after-reconnects")
        try await collector.waitFor("added:after-reconnects")
        #expect(collector.count { $0.hasPrefix("resynced") } == 1, "no re-list after clean ends: \(collector.events)")
        #expect(live.client.connectionsOpened == 1, "reconnects reuse the connection")
        await collector.cancel()
        await live.stop()
    }

    @Test func anExpiredVersionRelistsAndResyncs() async throws {
        let live = try await LiveCluster.start(simulator: { $0.watchHistoryLimit = 5 })
        try live.cluster.seedApplication(namespace: namespace, name: "first")
        let options = WatchOptions(backoff: Self.fastBackoff)
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace, options: options))
        try await collector.waitFor("resynced:[first]")
        await live.cluster.stopAnswering()
        // While the informer cannot reach the server, more changes than the server keeps in history.
        for index in 0..<10 { try live.cluster.seedApplication(namespace: namespace, name: "n\(index)") }
        try live.cluster.deleteApplicationDirectly(namespace: namespace, name: "first")
        try live.cluster.resumeAnswering()
        try await collector.waitFor("resynced:[n0,n1,n2,n3,n4,n5,n6,n7,n8,n9]")
        // And it keeps watching from the new list's version.
        try live.cluster.seedApplication(namespace: namespace, name: "later")
        try await collector.waitFor("added:later")
        #expect(!collector.events.contains("deleted:first"), "missed changes come as a resync, not as replayed events")
        await collector.cancel()
        await live.stop()
    }

    @Test func aRestartedServerResumesFromTheLastVersion() async throws {
        let live = try await LiveCluster.start()
        let options = WatchOptions(backoff: Self.fastBackoff)
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace, options: options))
        try await collector.waitFor("resynced:[]")
        try live.cluster.seedApplication(namespace: namespace, name: "before")
        try await collector.waitFor("added:before")
        await live.cluster.stopAnswering()
        try live.cluster.seedApplication(namespace: namespace, name: "during")
        try await Task.sleep(for: .milliseconds(400))  // a few refused reconnects
        try live.cluster.resumeAnswering()
        try await collector.waitFor("added:during")
        try live.cluster.seedApplication(namespace: namespace, name: "after")
        try await collector.waitFor("added:after")
        #expect(collector.events == ["resynced:[]", "added:before", "added:during", "added:after"])
        await collector.cancel()
        await live.stop()
    }

    @Test func anIdleConnectionIsDroppedAndReplaced() async throws {
        let live = try await LiveCluster.start(
            simulator: { $0.bookmarkInterval = .seconds(3600) }, client: { $0.watchIdleTimeout = .seconds(1) })
        let options = WatchOptions(allowWatchBookmarks: false, timeoutSeconds: 3600, backoff: Self.fastBackoff)
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace, options: options))
        try await collector.waitFor("resynced:[]")
        let before = live.client.connectionsOpened
        // Nothing arrives on the stream: the low-speed timeout declares it dead and a new one is opened.
        try await eventually(timeout: .seconds(8), "an idle reconnect") { live.client.connectionsOpened > before }
        try live.cluster.seedApplication(namespace: namespace, name: "after-idle")
        try await collector.waitFor("added:after-idle")
        #expect(collector.count { $0.hasPrefix("resynced") } == 1)
        await collector.cancel()
        await live.stop()
    }

    @Test func shuttingTheClientDownEndsTheStream() async throws {
        let live = try await LiveCluster.start()
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace))
        try await collector.waitFor("resynced:[]")
        await live.client.shutdown()
        try await collector.waitFor("end")
        await live.cluster.shutdown()
    }

    @Test func manyEventsArriveInOrderThroughSmallBuffers() async throws {
        let live = try await LiveCluster.start(
            simulator: { $0.watchBufferLimit = 10_000; $0.watchHistoryLimit = 10_000 },
            client: { $0.streamBufferBytes = 4096 })
        // One object first: a fresh simulator lists at version "0", and a watch from "0" means
        // "from the current state" (synthetic ADDED events in name order), not "after version 0".
        try live.cluster.seedApplication(namespace: namespace, name: "seed")
        let collector = Collector(live.client.watch(SparkApplication.self, .sparkApplications, namespace: namespace))
        try await collector.waitFor("resynced:[seed]")
        for index in 0..<500 { try live.cluster.seedApplication(namespace: namespace, name: "bulk-\(index)") }
        try await collector.waitFor("added:bulk-499")
        #expect(collector.events == ["resynced:[seed]"] + (0..<500).map { "added:bulk-\($0)" })
        await collector.cancel()
        await live.stop()
    }
}
