import Cryptography
import Foundation
import Synchronization

/// Remembers, briefly, which user/password pairs verified, so a client that sends Basic credentials
/// on every request pays for one slow hash rather than one per request.
///
/// Entries are keyed by an HMAC of the pair under a key drawn at random when the process starts:
/// neither the password nor an unkeyed (offline-guessable) digest of it is kept in memory. Only
/// successes are cached; the cache holds at most `capacity` entries, each for `lifetime`.
final class CredentialCache: Sendable {
    private let key: [UInt8]
    private let lifetime: Duration
    private let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[Data: ContinuousClock.Instant]>([:])

    /// - Parameters:
    ///   - lifetime: how long a verified pair is believed; zero turns the cache off.
    ///   - capacity: most pairs remembered.
    init(
        lifetime: Duration, capacity: Int = 10_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        var generator = SystemRandomNumberGenerator()
        key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.now = now
    }

    var isEnabled: Bool { lifetime > .zero }

    /// Whether this pair verified within `lifetime`.
    func contains(user: String, password: String) -> Bool {
        guard isEnabled else { return false }
        let digest = self.digest(user: user, password: password)
        let now = now()
        return entries.withLock { entries in
            guard let expiry = entries[digest] else { return false }
            if expiry <= now {
                entries[digest] = nil
                return false
            }
            return true
        }
    }

    /// Records a pair that just verified.
    func insert(user: String, password: String) {
        guard isEnabled else { return }
        let digest = self.digest(user: user, password: password)
        let now = now()
        let expiry = now + lifetime
        entries.withLock { entries in
            if entries[digest] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value > now }
                // Still full of live entries: forget the one closest to expiry.
                if entries.count >= capacity, let oldest = entries.min(by: { $0.value < $1.value })?.key {
                    entries[oldest] = nil
                }
            }
            entries[digest] = expiry
        }
    }

    var count: Int { entries.withLock { $0.count } }

    private func digest(user: String, password: String) -> Data {
        // The user's length first, so that ("ab", "c") and ("a", "bc") never share a key.
        var message = Array("\(user.utf8.count):".utf8)
        message += user.utf8
        message += password.utf8
        return HMAC.sha256(key: key, message: message)
    }
}
