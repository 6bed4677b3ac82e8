import Foundation
internal import CGatewayShims
import Synchronization

/// An OS thread that owns a non-`Sendable` resource and runs jobs on it one at a time.
///
/// Blocking C calls (`mysql_stmt_execute`, `sqlite3_step`) run here, never on Swift's cooperative
/// pool; `run` suspends the caller until its job is done. The resource is created on the thread
/// and never leaves it.
final class DedicatedThread<Resource: AnyObject>: @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `stopping` are only touched with `condition` locked, and
    // `resource` only on the thread itself (created, used and released there).
    private let condition = NSCondition()
    private var jobs: [(Resource) -> Void] = []
    private var stopping = false
    private var finished = false
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var thread: Thread?
    /// Jobs queued and not yet taken: lets the thread spin briefly for the next job of a caller
    /// that issues operations back to back, instead of sleeping and being woken for each one.
    private let queued = Atomic<Int>(0)
    private static var spinLimit: Duration { .microseconds(50) }

    /// - Parameters:
    ///   - makeResource: builds the resource on the new thread.
    ///   - onExit: runs on the thread after the resource is released (mysql_thread_end).
    init(name: String, makeResource: @escaping @Sendable () -> Resource, onExit: @escaping @Sendable () -> Void = {}) {
        let thread = Thread { [self] in
            Self.nameCurrentThread(name)
            self.loop(makeResource(), onExit: onExit)
        }
        thread.name = name
        self.thread = thread
        thread.start()
    }

    private func loop(_ resource: Resource, onExit: () -> Void) {
        var owned: Resource? = resource
        let clock = ContinuousClock()
        while true {
            if queued.load(ordering: .acquiring) == 0 {
                let deadline = clock.now + Self.spinLimit
                while queued.load(ordering: .acquiring) == 0 && clock.now < deadline {}
            }
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                break
            }
            let job = jobs.removeFirst()
            queued.subtract(1, ordering: .releasing)
            condition.unlock()
            if let owned { job(owned) }
        }
        owned = nil
        onExit()
        condition.lock()
        finished = true
        let waiters = stopWaiters
        stopWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Runs `body` on the thread with the resource and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            guard !stopping else {
                condition.unlock()
                continuation.resume(throwing: CancellationError())
                return
            }
            jobs.append { resource in continuation.resume(with: Result { try body(resource) }) }
            queued.add(1, ordering: .releasing)
            condition.signal()
            condition.unlock()
        }
    }

    /// Finishes queued jobs, releases the resource on the thread, and returns once the thread is done.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            stopping = true
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            stopWaiters.append(continuation)
            condition.broadcast()
            condition.unlock()
        }
    }
}

extension DedicatedThread {
    /// Names the OS thread (what `top -H`, `perf` and `/proc/PID/task/*/comm` show). Foundation's
    /// `Thread.name` does not reach the OS thread here: every connection thread showed up as
    /// `oot.default-qos`, the name of the dispatch thread that started it, which made the threads of a
    /// submission's hops impossible to tell apart in a profile. Linux keeps the first 15 bytes.
    static func nameCurrentThread(_ name: String) {
        _ = gw_set_current_thread_name(name)
    }
}

/// What a connection thread owns: the connection while it is open (nil before the first connect
/// and after a lost connection).
final class ConnectionSlot<Connection> {
    var connection: Connection?
    init() {}
}
