import Dispatch
import Foundation
import Synchronization

/// Catches SIGTERM and SIGINT from the moment it is created (so a signal sent during startup is kept,
/// not lost), and lets the server wait for the first one without blocking a thread.
///
/// `@unchecked Sendable`: `state` is behind a `Mutex`; `sources` is set once in `init` and only read
/// again in `deinit`, and dispatch sources are safe to use from any thread.
final class SignalWaiter: @unchecked Sendable {
    private struct State {
        var received: Int32?
        var waiter: CheckedContinuation<Int32, Never>?
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "bpg.signals")
    /// Kept for the life of the waiter: a released source stops delivering.
    private let sources: [any DispatchSourceSignal]

    init() {
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            // The dispatch source, not the default action (terminate), handles the signal.
            signal(signalNumber, SIG_IGN)
            sources.append(DispatchSource.makeSignalSource(signal: signalNumber, queue: queue))
        }
        self.sources = sources
        for (source, signalNumber) in zip(sources, [SIGTERM, SIGINT]) {
            source.setEventHandler { [weak self] in self?.deliver(signalNumber) }
            source.resume()
        }
    }

    private func deliver(_ signalNumber: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Int32, Never>? in
            if state.received == nil { state.received = signalNumber }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: signalNumber)
    }

    /// The first signal received, now or later.
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let received = state.withLock { state -> Int32? in
                if let received = state.received { return received }
                state.waiter = continuation
                return nil
            }
            if let received { continuation.resume(returning: received) }
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
