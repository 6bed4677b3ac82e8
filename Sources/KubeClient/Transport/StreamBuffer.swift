import Foundation
import Synchronization

/// The bounded hand-over between the curl loop thread (producer) and one async consumer of a
/// streamed body (a watch, a followed log).
///
/// When more than `limit` bytes wait unread, the producer is told to pause the transfer
/// (`CURL_WRITEFUNC_PAUSE`); once the consumer has drained below half of it, `resume` asks the loop
/// to continue. So a slow consumer slows the server down instead of growing memory.
final class StreamBuffer: Sendable {
    private struct State {
        var chunks: [Data] = []
        var head = 0
        var bufferedBytes = 0
        var paused = false
        var finished = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<Data?, any Error>?
    }

    private let state = Mutex(State())
    private let limit: Int
    /// Set by the loop before the first byte: resumes a paused transfer, cancels it.
    /// The closures sit in a struct, not directly in the `Mutex`: a bare function type stored as a
    /// `Mutex`'s generic value is re-wrapped in reabstraction thunks on every `withLock` access (read
    /// and write-back of the `inout`), so the chain — and the cost of each call — would grow with use.
    private struct Controls {
        var resume: @Sendable () -> Void
        var cancel: @Sendable () -> Void
    }

    private let controls = Mutex(Controls(resume: {}, cancel: {}))

    init(limit: Int) {
        self.limit = max(limit, 1)
    }

    func setControls(resume: @escaping @Sendable () -> Void, cancel: @escaping @Sendable () -> Void) {
        controls.withLock { $0 = Controls(resume: resume, cancel: cancel) }
    }

    // MARK: Producer (loop thread)

    /// Offers a chunk. Returns `false` when the buffer is full: the chunk was not taken and the
    /// transfer must pause (libcurl redelivers the same bytes after the resume).
    func offer(_ bytes: Data) -> Bool {
        enum Decision { case deliver(CheckedContinuation<Data?, any Error>), taken, pause }
        let decision: Decision = state.withLock { state in
            if state.finished { return .taken }  // the consumer has gone: drop
            if let waiter = state.waiter {
                state.waiter = nil
                return .deliver(waiter)
            }
            if state.bufferedBytes >= limit {
                state.paused = true
                return .pause
            }
            state.chunks.append(bytes)
            state.bufferedBytes += bytes.count
            return .taken
        }
        switch decision {
        case .deliver(let waiter):
            waiter.resume(returning: bytes)
            return true
        case .taken: return true
        case .pause: return false
        }
    }

    /// Ends the body: `nil` for a clean end of stream, or the failure.
    func finish(_ failure: (any Error)?) {
        let waiter: CheckedContinuation<Data?, any Error>? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = failure
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        guard let waiter else { return }
        if let failure { waiter.resume(throwing: failure) } else { waiter.resume(returning: nil) }
    }

    // MARK: Consumer

    /// The next chunk, `nil` at a clean end; throws the transfer's failure or `CancellationError`.
    func next() async throws -> Data? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data?, any Error>) in
                enum Immediate { case chunk(Data, resume: Bool), end, failure(any Error), wait(resume: Bool) }
                let immediate: Immediate = state.withLock { state in
                    if state.head < state.chunks.count {
                        let chunk = state.chunks[state.head]
                        state.head += 1
                        state.bufferedBytes -= chunk.count
                        if state.head == state.chunks.count {
                            state.chunks.removeAll(keepingCapacity: true)
                            state.head = 0
                        }
                        var resume = false
                        if state.paused && state.bufferedBytes <= limit / 2 {
                            state.paused = false
                            resume = true
                        }
                        return .chunk(chunk, resume: resume)
                    }
                    if state.finished {
                        if let failure = state.failure { return .failure(failure) }
                        return .end
                    }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    let resume = state.paused
                    state.paused = false
                    return .wait(resume: resume)
                }
                switch immediate {
                case .chunk(let chunk, let resume):
                    if resume { controls.withLock { $0.resume }() }
                    continuation.resume(returning: chunk)
                case .end: continuation.resume(returning: nil)
                case .failure(let error): continuation.resume(throwing: error)
                case .wait(let resume):
                    if resume { controls.withLock { $0.resume }() }
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Stops the transfer (the consumer has gone) and fails a pending `next()` with `CancellationError`.
    func cancel() {
        let waiter: CheckedContinuation<Data?, any Error>? = state.withLock { state in
            if !state.finished {
                state.finished = true
                state.failure = CancellationError()
            }
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(throwing: CancellationError())
        controls.withLock { $0.cancel }()
    }
}
