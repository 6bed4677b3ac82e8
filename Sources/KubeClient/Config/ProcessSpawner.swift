import Foundation
import Synchronization

/// Starts child processes one at a time, process-wide.
///
/// swift-corelibs-foundation's `Process.run()` crashed here (SIGSEGV in `memcpy` inside `run()`)
/// while other threads were starting processes at the same moment. Spawning is rare (exec
/// credential plugins run when a token expires), so serialising it costs nothing measurable.
public enum ProcessSpawner {
    private static let lock = Mutex(())

    /// `process.run()`, never concurrently with another `ProcessSpawner.run`.
    public static func run(_ process: Process) throws {
        try lock.withLock { _ in try process.run() }
    }
}
