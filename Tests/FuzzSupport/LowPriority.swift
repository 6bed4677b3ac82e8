import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs CPU-heavy fuzz loops on their own thread at the lowest scheduling priority, so that on a
/// small shared machine the suite's timing-sensitive live tests, which run at the same time, still
/// get the processor when they need it. `work` must not use `#expect` (the thread has no test
/// context): return what failed and check it afterwards.
public func lowPriority<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            #if canImport(Glibc)
                // Linux applies nice values per thread (0: the calling thread); failing only costs fairness.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            continuation.resume(with: Result { try work() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
