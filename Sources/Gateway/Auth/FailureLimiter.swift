import Synchronization

/// Counts failed password checks per client address and refuses further checks from an address
/// once it has failed `maxFailures` times within `window`, until that window ends.
///
/// This bounds online guessing to `maxFailures` per window per address, and a refused attempt costs
/// no hash at all. Nothing waits: a refusal is answered at once (429 with `Retry-After`). A success
/// does not reset the count, so one known password cannot be used to keep guessing another.
final class FailureLimiter: Sendable {
    /// The counting rule, pure: fed times and failures, it says when an address may try again.
    struct Windows: Sendable {
        struct Entry: Sendable, Equatable {
            var start: ContinuousClock.Instant
            var failures: Int
        }

        var maxFailures: Int
        var window: Duration
        var capacity: Int
        private(set) var entries: [String: Entry] = [:]

        init(maxFailures: Int, window: Duration, capacity: Int) {
            self.maxFailures = maxFailures
            self.window = window
            self.capacity = max(1, capacity)
        }

        var isEnabled: Bool { maxFailures > 0 && window > .zero }

        /// How long `address` must wait before its password may be checked again; nil if it may now.
        mutating func retryAfter(_ address: String, now: ContinuousClock.Instant) -> Duration? {
            guard isEnabled, let entry = entries[address] else { return nil }
            let end = entry.start + window
            if end <= now {
                entries[address] = nil
                return nil
            }
            return entry.failures >= maxFailures ? end - now : nil
        }

        /// Counts one failed check from `address`.
        mutating func recordFailure(_ address: String, now: ContinuousClock.Instant) {
            guard isEnabled else { return }
            if let entry = entries[address], entry.start + window > now {
                entries[address]?.failures = entry.failures + 1
                return
            }
            if entries[address] == nil, entries.count >= capacity {
                let window = self.window
                entries = entries.filter { $0.value.start + window > now }
                // Still full of live windows: forget the oldest.
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value.start < $1.value.start })?.key {
                    entries[oldest] = nil
                }
            }
            entries[address] = Entry(start: now, failures: 1)
        }
    }

    private let state: Mutex<Windows>
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - maxFailures: failures allowed per address and window; 0 turns the limit off.
    ///   - capacity: most addresses tracked at once.
    init(
        maxFailures: Int, window: Duration, capacity: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        state = Mutex(Windows(maxFailures: maxFailures, window: window, capacity: capacity))
        self.now = now
    }

    func retryAfter(_ address: String) -> Duration? {
        let now = now()
        return state.withLock { $0.retryAfter(Self.normalised(address), now: now) }
    }

    func recordFailure(_ address: String) {
        let now = now()
        state.withLock { $0.recordFailure(Self.normalised(address), now: now) }
    }

    /// `::ffff:10.1.2.3` and `10.1.2.3` are the same client.
    private static func normalised(_ address: String) -> String {
        address.lowercased().hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}
