import Foundation

/// A bounded hand-over of upload bytes from an async reader of the source to libcurl's read
/// callback on the transfer's own thread: the reader suspends in `put` while `limit` bytes wait, the
/// transfer thread blocks in `take` while none do (it is never a cooperative-pool thread).
public final class UploadPump: Sendable {
    private struct State {
        var chunks: [Data] = []
        var bytes = 0
        var finished = false
        var failed = false
        var aborted = false
        var writer: CheckedContinuation<Bool, Never>?
    }

    private let state = ChunkChannel.Locked(State())
    private let limit: Int

    public init(limit: Int) { self.limit = max(limit, 1) }

    /// Reader side: queues `data`; waits while the buffer is full. False once the transfer stopped.
    public func put(_ data: Data) async -> Bool {
        await withCheckedContinuation { continuation in
            let now: Bool? = state.with { s in
                if s.aborted { return false }
                s.chunks.append(data)
                s.bytes += data.count
                if s.bytes < limit { return true }
                s.writer = continuation
                return nil
            }
            state.condition.broadcast()
            if let now { continuation.resume(returning: now) }
        }
    }

    /// Reader side: the source ended (`failed`: with an error, so the transfer must abort).
    public func finish(failed: Bool) {
        state.with { s in
            s.finished = true
            s.failed = failed
        }
        state.condition.broadcast()
    }

    /// Transfer side: copies up to `count` bytes into `buffer`; 0 at the end; nil to abort.
    public func take(into buffer: UnsafeMutableRawPointer, count: Int) -> Int? {
        let (result, writer): (Int?, CheckedContinuation<Bool, Never>?) = state.wait(
            until: { !$0.chunks.isEmpty || $0.finished || $0.aborted }
        ) { s in
            if s.aborted || (s.chunks.isEmpty && s.failed) { return (nil, nil) }
            if s.chunks.isEmpty { return (0, nil) }
            var first = s.chunks.removeFirst()
            let n = min(count, first.count)
            first.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: n) }
            if n < first.count { s.chunks.insert(first.dropFirst(n), at: 0) }
            s.bytes -= n
            var resumed: CheckedContinuation<Bool, Never>?
            if s.bytes < limit, let writer = s.writer {
                s.writer = nil
                resumed = writer
            }
            return (n, resumed)
        }
        writer?.resume(returning: true)
        return result
    }

    /// Transfer side: the transfer ended; a waiting reader is released with false.
    public func stop() {
        let writer = state.with { s -> CheckedContinuation<Bool, Never>? in
            s.aborted = true
            s.chunks = []
            defer { s.writer = nil }
            return s.writer
        }
        writer?.resume(returning: false)
    }
}
