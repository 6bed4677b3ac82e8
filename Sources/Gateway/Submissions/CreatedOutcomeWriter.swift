import Foundation
import Logging
import Persistence
import Synchronization

/// Writes the `CREATED` outcome of successful creates after the client has its answer, so that a
/// submission costs one synchronous store write (its record, before the create) instead of two.
///
/// Why deferring the write loses nothing: the record exists, says `ACCEPTED` and names the cluster
/// before the create is sent. If the process dies before this writer gets to it, the application
/// exists and its record points at it; the monitor records the operator's status on the record as soon
/// as it sees the application, and ``UnknownOutcomeResolver`` reads `ACCEPTED` rows older than the
/// unknown-outcome window back from their cluster and confirms them. Neither fences an application
/// that exists, so the job runs once and its id stays valid. The write itself is conditional
/// (`markCreated` moves only rows without an operator status), so it never overwrites the monitor.
///
/// Writes run a few at a time in the background; ``flush(timeout:)`` waits for them (shutdown, tests).
final class CreatedOutcomeWriter: Sendable {
    private struct Pending: Sendable {
        var submissionId: String
        var time: Date
    }

    private struct State {
        var queue: [Pending] = []
        /// Ids queued or being written: created on their cluster, record not updated yet.
        var unwritten: Set<String> = []
        var draining = false
    }

    private let state = Mutex(State())
    private let idleWaiters = IdleWaiters()
    private let store: any SubmissionStore
    private let metrics: GatewayMetrics?
    private let logger: Logger
    /// Writes at once: enough to keep up with a burst on a pooled store without taking every connection.
    private let width: Int
    /// Held before each batch is written: only for tests that kill the process between the response
    /// and the outcome write (``GatewayService/Options/createdOutcomeDelay``).
    private let delay: Duration

    init(store: any SubmissionStore, metrics: GatewayMetrics?, logger: Logger, width: Int = 4, delay: Duration = .zero) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.width = max(1, width)
        self.delay = delay
    }

    /// Queues the outcome of a create that succeeded; returns at once.
    func recordCreated(submissionId: String, at time: Date) {
        let start = state.withLock { state -> Bool in
            state.queue.append(Pending(submissionId: submissionId, time: time))
            state.unwritten.insert(submissionId)
            if state.draining { return false }
            state.draining = true
            return true
        }
        if start { Task { await drain() } }
    }

    /// Whether `submissionId` was created by this process and its record not updated yet (a retry with
    /// the same Idempotency-Key need not wait for the record to say so).
    func isCreatedButUnwritten(_ submissionId: String) -> Bool {
        state.withLock { $0.unwritten.contains(submissionId) }
    }

    /// Outcomes not written yet.
    var backlog: Int { state.withLock { $0.unwritten.count } }

    /// Returns once every queued outcome is written (or given up to the resolver), or after `timeout`;
    /// returns whether the queue emptied.
    @discardableResult
    func flush(timeout: Duration) async -> Bool {
        await idleWaiters.wait(timeout: timeout) { self.state.withLock { !$0.draining } }
    }

    private func drain() async {
        while true {
            if delay > .zero { try? await Task.sleep(for: delay) }
            let batch = state.withLock { state -> [Pending] in
                defer { state.queue.removeAll(keepingCapacity: true) }
                return state.queue
            }
            if batch.isEmpty {
                let drained = state.withLock { state -> Bool in
                    // Something queued since the batch was taken: keep draining.
                    guard state.queue.isEmpty else { return false }
                    state.draining = false
                    return true
                }
                guard drained else { continue }
                idleWaiters.resumeAll()
                return
            }
            var next = batch.startIndex
            await withTaskGroup(of: Void.self) { group in
                while next < batch.endIndex, next - batch.startIndex < width {
                    let item = batch[next]
                    group.addTask { await self.write(item) }
                    next += 1
                }
                while await group.next() != nil {
                    guard next < batch.endIndex else { continue }
                    let item = batch[next]
                    group.addTask { await self.write(item) }
                    next += 1
                }
            }
        }
    }

    /// A few tries; after that the record stays `ACCEPTED` and the resolver or the monitor settles it.
    private func write(_ item: Pending) async {
        defer { _ = state.withLock { $0.unwritten.remove(item.submissionId) } }
        for attempt in 1...3 {
            do {
                _ = try await metrics.measureStore("mark_created") {
                    try await store.markCreated(submissionId: item.submissionId, at: item.time)
                }
                return
            } catch {
                logger.error(
                    "could not mark the submission created",
                    metadata: ["submission_id": item.submissionId, "attempt": "\(attempt)", "error": "\(error)"])
                if attempt < 3 { try? await Task.sleep(for: .milliseconds(100 * attempt)) }
            }
        }
    }
}
