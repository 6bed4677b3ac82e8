import Foundation

/// A small, fixed set of threads that do nothing but compute password hashes.
///
/// A bcrypt verification takes 50–100 ms of CPU. Run on an HTTP server's I/O thread it stalls every
/// connection that thread serves; run on Swift's cooperative pool (two threads on a two-core
/// machine) it stalls every task. Here callers suspend while one of `threads` dedicated threads
/// hashes, and at most `maxPending` verifications wait: beyond that `verify` fails at once with
/// ``Busy``, so a flood of guesses cannot queue unbounded work or memory.
///
///     let pool = PasswordHashingPool(threads: 1, maxPending: 16)
///     let ok = try await pool.verify("secret", hash: storedHash)
///
/// The threads end when the pool is released (after finishing what is queued).
public final class PasswordHashingPool: Sendable {
    /// Too many verifications are already waiting.
    public struct Busy: Error, CustomStringConvertible, Sendable {
        public var description: String { "password hashing queue is full" }
    }

    private let queue: JobQueue
    /// Number of hashing threads.
    public let threads: Int

    /// - Parameters:
    ///   - threads: hashing threads (at least 1).
    ///   - maxPending: verifications that may wait for a thread (at least 1).
    public init(threads: Int, maxPending: Int) {
        self.threads = max(1, threads)
        queue = JobQueue(maxPending: max(1, maxPending))
        for index in 0..<self.threads {
            Thread { [queue] in
                // Named from inside (a name set before `start()` is not applied on Linux), and at most
                // 15 characters, the kernel's limit: it shows in `top -H` and in debuggers.
                let name = "bpg-pwhash-\(index)"
                Thread.current.name = name
                while let job = queue.next() {
                    // Set again while it does not read back: Foundation applies the name to the kernel
                    // thread only once `start()` has registered the thread in the parent, which can
                    // come after the first line above runs; until then the thread keeps the name it
                    // inherited from its creator (a cooperative-pool thread).
                    if Thread.current.name != name { Thread.current.name = name }
                    job()
                }
            }.start()
        }
    }

    deinit { queue.stop() }

    /// Whether `password` matches `hash` (``PasswordHash/verify(_:hash:)``), computed on a pool thread.
    /// - Throws: ``Busy`` when `maxPending` verifications are already waiting.
    public func verify(_ password: String, hash: String) async throws(Busy) -> Bool {
        try await run { PasswordHash.verify(password, hash: hash) }
    }

    /// Runs `work` on a pool thread and resumes with its result.
    /// - Throws: ``Busy`` when `maxPending` jobs are already waiting.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(Busy) -> T {
        let result: Result<T, Busy> = await withCheckedContinuation { continuation in
            let accepted = queue.enqueue { continuation.resume(returning: .success(work())) }
            if !accepted { continuation.resume(returning: .failure(Busy())) }
        }
        return try result.get()
    }

    /// Jobs waiting for a thread (for tests and metrics).
    public var pending: Int { queue.count }
}

/// The jobs waiting for a hashing thread.
private final class JobQueue: @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `stopped` are only read or written with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopped = false
    private let maxPending: Int

    init(maxPending: Int) { self.maxPending = maxPending }

    /// False when the queue is full or stopped; the job is then not run.
    func enqueue(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, jobs.count < maxPending else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// The next job, waiting for one; nil once stopped and drained.
    func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopped { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }
}
