import Foundation
import Synchronization

/// Wakes this replica's open status streams when its monitor records a state change, so a stream
/// sends the change at once instead of at its next poll. Changes written by other replicas (or by
/// the submission path) are found by the poll; this is only a shortcut.
final class StatusChangeSignal: Sendable {
    /// One open stream waiting on a submission: a `Wake` to poke.
    private struct Waiter {
        let wake: Wake
    }

    private let waiters = Mutex<[String: [Int: Waiter]]>([:])
    private let nextToken = Atomic<Int>(0)

    init() {}

    /// Registers `wake` to be poked on changes of `submissionId`; returns the token to remove it with.
    func subscribe(_ submissionId: String, _ wake: Wake) -> Int {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        waiters.withLock { $0[submissionId, default: [:]][token] = Waiter(wake: wake) }
        return token
    }

    func unsubscribe(_ submissionId: String, token: Int) {
        waiters.withLock { all in
            all[submissionId]?[token] = nil
            if all[submissionId]?.isEmpty == true { all[submissionId] = nil }
        }
    }

    /// A change of `submissionId` was recorded here.
    func changed(_ submissionId: String) {
        let wakes = waiters.withLock { $0[submissionId].map { Array($0.values) } ?? [] }
        for waiter in wakes { waiter.wake.poke() }
    }

    /// Streams waiting right now (tests).
    var waiting: Int { waiters.withLock { $0.values.reduce(0) { $0 + $1.count } } }
}

/// A stream's wake-up source: pokes (changes, poll ticks) coalesce, so a stream that is busy
/// writing sees at most one pending wake-up, never a queue of them.
final class Wake: Sendable {
    let events: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (events, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func poke() { continuation.yield() }

    /// Ends `events`: the stream stops (shutdown).
    func finish() { continuation.finish() }
}
