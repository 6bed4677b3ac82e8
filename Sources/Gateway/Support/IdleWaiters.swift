import Synchronization

/// Callers waiting for some background work to become idle, each with a deadline: the work resumes
/// them all when it runs dry (``resumeAll()``); a caller whose deadline passes first stops waiting.
/// Shared by ``InFlightWork`` (creates in flight) and ``CreatedOutcomeWriter`` (outcomes not yet written).
final class IdleWaiters: Sendable {
    private let waiters = Mutex<[CheckedContinuation<Void, Never>]>([])

    /// Waits until `isIdle` holds or ``resumeAll()`` is called, at most `timeout`; returns whether it
    /// became idle. `isIdle` runs under the caller's own lock discipline: it is checked once, and the
    /// waiter is registered only while it is false, so call ``resumeAll()`` after making it true.
    func wait(timeout: Duration, isIdle: @escaping @Sendable () -> Bool) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let idle = self.waiters.withLock { waiters -> Bool in
                        if isIdle() { return true }
                        waiters.append(continuation)
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
            // Past the deadline: release the waiting child so the group can finish.
            if !first { resumeAll() }
            group.cancelAll()
            return first
        }
    }

    /// Resumes every waiter (the work has become idle).
    func resumeAll() {
        let resumed = waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in resumed { waiter.resume() }
    }
}
