import Synchronization

/// Counts work that must not be cut off by a shutdown (creates sent to a cluster), so shutdown can wait
/// for it with a deadline before closing the clients it uses.
final class InFlightWork: Sendable {
    private struct State {
        var count = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Work currently running.
    var count: Int { state.withLock { $0.count } }

    /// Runs `body` as one unit of in-flight work, in an unstructured task: cancelling the caller (a
    /// request cut at the drain deadline) does not cancel the work, whose outcome must be recorded.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        state.withLock { $0.count += 1 }
        let task = Task {
            let value = await body()
            let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.count -= 1
                guard state.count == 0 else { return [] }
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
            return value
        }
        return await task.value
    }

    /// Returns when no work is running, or after `timeout`; returns whether everything finished.
    @discardableResult
    func waitUntilIdle(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let idle = self.state.withLock { state -> Bool in
                        if state.count == 0 { return true }
                        state.waiters.append(continuation)
                        return false
                    }
                    if idle { continuation.resume() }
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            if !first {
                // Release the waiting child so the group can finish.
                let waiters = state.withLock { state in
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                for waiter in waiters { waiter.resume() }
            }
            group.cancelAll()
            return first
        }
    }
}
