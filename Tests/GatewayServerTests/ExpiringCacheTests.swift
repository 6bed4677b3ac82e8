import Synchronization
import Testing

@testable import Gateway

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    func now() -> ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ duration: Duration) { instant.withLock { $0 = $0.advanced(by: duration) } }
}

/// Counts calls from concurrent tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    @discardableResult func increment() -> Int { count.withLock { $0 += 1; return $0 } }
}

private struct Failure: Error {}

@Suite struct ExpiringCacheTests {
    @Test func servesTheCachedValueUntilItExpires() async throws {
        let clock = ManualClock()
        let cache = ExpiringCache<String, Int>(timeToLive: .milliseconds(990), now: { clock.now() })
        let loads = Counter()
        let load: @Sendable () async throws -> Int = { loads.increment() }
        #expect(try await cache.value(for: "a", load: load) == 1)
        clock.advance(.milliseconds(500))
        #expect(try await cache.value(for: "a", load: load) == 1)
        clock.advance(.milliseconds(500))
        #expect(try await cache.value(for: "a", load: load) == 2)
        #expect(try await cache.value(for: "b", load: load) == 3)
    }

    @Test func concurrentMissesShareOneLoad() async throws {
        let cache = ExpiringCache<String, Int>(timeToLive: .seconds(10))
        let loads = Counter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await cache.value(for: "app") {
                        try await Task.sleep(for: .milliseconds(50))
                        return loads.increment()
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(loads.value == 1)
        #expect(Set(values) == [1])
    }

    @Test func failuresAreCachedForTheSameTime() async {
        let clock = ManualClock()
        let cache = ExpiringCache<String, Int>(timeToLive: .seconds(1), now: { clock.now() })
        let loads = Counter()
        let failing: @Sendable () async throws -> Int = {
            loads.increment()
            throw Failure()
        }
        await #expect(throws: Failure.self) { try await cache.value(for: "x", load: failing) }
        await #expect(throws: Failure.self) { try await cache.value(for: "x", load: failing) }
        #expect(loads.value == 1)
        clock.advance(.seconds(2))
        await #expect(throws: Failure.self) { try await cache.value(for: "x", load: failing) }
        #expect(loads.value == 2)
    }

    @Test func invalidateForcesALoad() async throws {
        let cache = ExpiringCache<String, Int>(timeToLive: .seconds(60))
        let loads = Counter()
        let load: @Sendable () async throws -> Int = { loads.increment() }
        _ = try await cache.value(for: "a", load: load)
        cache.invalidate("a")
        #expect(try await cache.value(for: "a", load: load) == 2)
    }
}
