import Dispatch
import Foundation

/// Waits for SIGTERM or SIGINT without blocking a thread (dispatch signal sources).
enum SignalWaiter {
    static func waitForTermination() async -> Int32 {
        await withCheckedContinuation { continuation in
            let queue = DispatchQueue(label: "bpg.signals")
            let waiter = Waiter(continuation)
            queue.sync {
                for signalNumber in [SIGTERM, SIGINT] {
                    signal(signalNumber, SIG_IGN)  // the dispatch source, not the default action, handles it
                    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                    source.setEventHandler { waiter.resume(signalNumber) }
                    waiter.sources.append(source)
                    source.resume()
                }
            }
        }
    }

    /// Resumes the continuation once, whichever signal comes first. The sources and their handlers
    /// reference each other until then, which keeps them alive; cancelling breaks the cycle.
    private final class Waiter: @unchecked Sendable {
        // Only touched on the serial `bpg.signals` queue.
        var sources: [DispatchSourceSignal] = []
        private var continuation: CheckedContinuation<Int32, Never>?

        init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }

        func resume(_ value: Int32) {
            continuation?.resume(returning: value)
            continuation = nil
            for source in sources { source.cancel() }
            sources = []
        }
    }
}
