import Synchronization

/// Counts work that must not be cut off by a shutdown (creates sent to a cluster), so shutdown can wait
/// for it with a deadline before closing the clients it uses.
final class InFlightWork: Sendable {
    private let running = Mutex(0)
    private let idleWaiters = IdleWaiters()

    /// Work currently running.
    var count: Int { running.withLock { $0 } }

    /// Runs `body` as one unit of in-flight work, in an unstructured task: cancelling the caller (a
    /// request cut at the drain deadline) does not cancel the work, whose outcome must be recorded.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        running.withLock { $0 += 1 }
        let task = Task {
            let value = await body()
            let idle = self.running.withLock { count -> Bool in
                count -= 1
                return count == 0
            }
            if idle { self.idleWaiters.resumeAll() }
            return value
        }
        return await task.value
    }

    /// Returns when no work is running, or after `timeout`; returns whether everything finished.
    @discardableResult
    func waitUntilIdle(timeout: Duration) async -> Bool {
        await idleWaiters.wait(timeout: timeout) { self.running.withLock { $0 == 0 } }
    }
}
