import Synchronization

/// A token bucket: `rate` permits a second, bursting to `rate`. BPG limits its listing endpoints to
/// 20 requests a second this way, because each one lists every cluster.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private let rate: Double
    private let bucket: Mutex<Bucket>

    init(permitsPerSecond rate: Double) {
        self.rate = rate
        bucket = Mutex(Bucket(tokens: rate, last: .now))
    }

    /// Takes a permit if one is available, without waiting.
    func tryAcquire() -> Bool {
        bucket.withLock { bucket in
            let now = ContinuousClock.now
            let elapsed = bucket.last.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(rate, bucket.tokens + seconds * rate)
            bucket.last = now
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }
}
