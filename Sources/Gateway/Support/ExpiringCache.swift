import Synchronization

/// A cache whose entries expire a fixed time after they were loaded, and where concurrent misses for
/// one key share a single load. This is what keeps many clients polling `/status` from turning into
/// as many reads of a Kubernetes API server (BPG's `statusCacheExpireMillis`, default 990 ms).
///
/// Failures are cached too, for the same time, so a failing cluster is not hammered either.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Entry {
        case loaded(Result<Value, any Error>, at: ContinuousClock.Instant)
        case loading(Task<Value, any Error>)
    }

    private enum Lookup {
        case hit(Result<Value, any Error>)
        case wait(Task<Value, any Error>)
    }

    private let timeToLive: Duration
    private let maximumEntries: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[Key: Entry]>([:])

    /// - Parameters:
    ///   - timeToLive: how long a loaded value (or error) is served before the next load.
    ///   - maximumEntries: beyond this, expired entries are swept on insert so memory stays bounded.
    ///   - now: the clock, injected for tests.
    init(
        timeToLive: Duration, maximumEntries: Int = 100_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.timeToLive = timeToLive
        self.maximumEntries = maximumEntries
        self.now = now
    }

    /// The cached value for `key`, or the result of `load`, shared with concurrent callers.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let lookup: Lookup = entries.withLock { entries in
            let current = now()
            switch entries[key] {
            case .loaded(let result, let at) where at.duration(to: current) < timeToLive:
                return .hit(result)
            case .loading(let task):
                return .wait(task)
            default:
                let task = Task { try await load() }
                if entries.count >= maximumEntries { sweep(&entries, now: current) }
                entries[key] = .loading(task)
                return .wait(task)
            }
        }
        // A hit (the common case when many clients poll) costs one lock and no task.
        let task: Task<Value, any Error>
        switch lookup {
        case .hit(let result): return try result.get()
        case .wait(let pending): task = pending
        }
        let result = await task.result
        entries.withLock { entries in
            if case .loading = entries[key] { entries[key] = .loaded(result, at: now()) }
        }
        return try result.get()
    }

    /// Forgets `key`, so the next read loads again (after a delete, for example).
    func invalidate(_ key: Key) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    private func sweep(_ entries: inout [Key: Entry], now current: ContinuousClock.Instant) {
        entries = entries.filter { _, entry in
            if case .loaded(_, let at) = entry { return at.duration(to: current) < timeToLive }
            return true
        }
    }
}
