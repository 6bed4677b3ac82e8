import Foundation
import JSON
import Synchronization
import Testing

@testable import KubeSimulator

/// Watch cancels racing with writes. The store delivers events under its lock (so each watcher sees
/// them in resourceVersion order); a cancel that needed the same lock deadlocked when it ran under it
/// (a `modify` closure cancelling, or dropping the last reference to, a subscription) and risked it
/// when racing with writes. Each scenario runs on threads of its own with a deadline, so a regression
/// fails the test instead of hanging the run.
struct WatchCancelStressTests {
    /// Runs `body` on a thread of its own; false when it has not finished within `seconds`.
    private static func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) async -> Bool {
        let done = DoneFlag()
        let thread = Thread {
            body()
            done.value.store(true, ordering: .releasing)
        }
        thread.start()
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if done.value.load(ordering: .acquiring) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return done.value.load(ordering: .acquiring)
    }

    private final class DoneFlag: Sendable {
        let value = Atomic<Bool>(false)
    }

    @Test func cancellingAWatchFromInsideAWriteDoesNotDeadlock() async throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: ObjectStoreTests.app("one"))
        let finished = await Self.finishes(within: 10) {
            for round in 0..<200 {
                guard let subscription = try? store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState) else { return }
                // The closure runs under the store's lock.
                _ = try? store.modify(.sparkApplications, namespace: "a", name: "one") { object in
                    subscription.cancel()
                    object[path: ["metadata", "labels", "round"]] = .string(String(round))
                }
            }
        }
        #expect(finished, "a cancel under the store's lock deadlocked")
        if finished { #expect(store.watcherCount == 0) }
    }

    @Test func droppingTheLastReferenceToASubscriptionInsideAWriteDoesNotDeadlock() async throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: ObjectStoreTests.app("one"))
        let finished = await Self.finishes(within: 10) {
            for round in 0..<200 {
                var held = try? store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState)
                _ = try? store.modify(.sparkApplications, namespace: "a", name: "one") { object in
                    held = nil  // Subscription.deinit cancels the watch, here under the lock.
                    object[path: ["metadata", "labels", "round"]] = .string(String(round))
                }
                _ = held
            }
        }
        #expect(finished, "a subscription released under the store's lock deadlocked")
        if finished { #expect(store.watcherCount == 0) }
    }

    @Test func cancelsRacingWithWritersOnManyThreads() async throws {
        let store = ObjectStore(watchBufferLimit: 8)
        for index in 0..<4 {
            try store.create(.sparkApplications, namespace: "a", object: ObjectStoreTests.app("app-\(index)"))
        }
        let finished = await Self.finishes(within: 30) {
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for round in 0..<300 {
                    if worker % 2 == 0 {
                        // Writers: every write delivers to whatever watchers exist at that moment.
                        _ = try? store.modify(.sparkApplications, namespace: "a", name: "app-\(worker / 2)") { object in
                            object[path: ["metadata", "labels", "round"]] = .string(String(round))
                        }
                    } else {
                        // Watchers that come and go: cancelled, dropped, or left to overflow their buffer.
                        let subscription = try? store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState)
                        switch round % 3 {
                        case 0: subscription?.cancel()
                        case 1: subscription?.requestBookmark()
                        default: break  // released at the end of the iteration: deinit cancels
                        }
                    }
                }
            }
        }
        #expect(finished, "writers and cancelling watchers deadlocked")
        if finished { #expect(store.watcherCount == 0) }
    }

    @Test func aLiveWatcherStillGetsEveryEventInOrderWhileOthersCancel() async throws {
        let store = ObjectStore(watchBufferLimit: 10_000)
        try store.create(.sparkApplications, namespace: "a", object: ObjectStoreTests.app("one"))
        let subscription = try store.watch(.sparkApplications, filter: ObjectFilter(), from: .after(store.resourceVersion))
        let finished = await Self.finishes(within: 30) {
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                for round in 0..<250 {
                    if worker < 2 {
                        _ = try? store.modify(.sparkApplications, namespace: "a", name: "one") { object in
                            object[path: ["metadata", "labels", "w\(worker)"]] = .string(String(round))
                        }
                    } else {
                        try? store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState).cancel()
                    }
                }
            }
        }
        #expect(finished)
        guard finished else { return }
        subscription.cancel()
        var versions: [Int] = []
        for await event in subscription.events { versions.append(event.object.resourceVersion) }
        #expect(versions.count == 500)
        #expect(versions == versions.sorted())
    }
}
