import Foundation

/// A bounded hand-over of chunks from a transfer thread to an async reader. The transfer thread
/// blocks in `put` while more than `limit` bytes wait (it is a thread of its own, never one of the
/// cooperative pool); the reader suspends in `next` while nothing waits.
public final class ChunkChannel: Sendable {
    /// A value behind an `NSCondition`, which also lets the producer sleep until the reader catches up.
    public final class Locked<Value>: @unchecked Sendable {
        // Every access to `value` goes through `with`, under `condition`'s lock.
        private var value: Value
        public let condition = NSCondition()
        public init(_ value: Value) { self.value = value }
        public func with<T>(_ body: (inout Value) -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            return body(&value)
        }
        /// Waits (lock held) until `ready` holds, then runs `body`.
        public func wait<T>(until ready: (Value) -> Bool, _ body: (inout Value) -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            while !ready(value) { condition.wait() }
            return body(&value)
        }
    }

    private struct State {
        var chunks: [Data] = []
        var bytes = 0
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var reader: CheckedContinuation<Data?, any Error>?
    }

    private let state = Locked(State())
    private let limit: Int

    public init(limit: Int) { self.limit = max(limit, 1) }

    /// Producer: hands over `data`, waiting while the buffer is full. False once the reader cancelled.
    public func put(_ data: Data) -> Bool {
        let (accepted, reader): (Bool, CheckedContinuation<Data?, any Error>?) = state.wait(until: { $0.bytes < self.limit || $0.cancelled }) { s in
            if s.cancelled { return (false, nil) }
            if let reader = s.reader {
                s.reader = nil
                return (true, reader)
            }
            s.chunks.append(data)
            s.bytes += data.count
            return (true, nil)
        }
        reader?.resume(returning: data)
        return accepted
    }

    /// Producer: no more chunks (with the error that ended the transfer, if any).
    public func finish(_ error: (any Error)?) {
        let reader = state.with { s -> CheckedContinuation<Data?, any Error>? in
            s.finished = true
            s.failure = error
            defer { s.reader = nil }
            return s.chunks.isEmpty ? s.reader : nil
        }
        if let reader {
            if let error { reader.resume(throwing: error) } else { reader.resume(returning: nil) }
        }
    }

    /// Reader: stop; the producer's next `put` returns false and the transfer is aborted.
    public func cancel() {
        let reader = state.with { s -> CheckedContinuation<Data?, any Error>? in
            s.cancelled = true
            s.chunks = []
            s.bytes = 0
            defer { s.reader = nil }
            return s.reader
        }
        state.condition.broadcast()
        reader?.resume(returning: nil)
    }

    /// Reader: the next chunk, nil at the end.
    public func next() async throws -> Data? {
        try await withCheckedThrowingContinuation { continuation in
            enum Now { case chunk(Data), end, fail(any Error), wait }
            let now: Now = state.with { s in
                if !s.chunks.isEmpty {
                    let chunk = s.chunks.removeFirst()
                    s.bytes -= chunk.count
                    return .chunk(chunk)
                }
                if s.cancelled { return .end }
                if s.finished { return s.failure.map { .fail($0) } ?? .end }
                s.reader = continuation
                return .wait
            }
            switch now {
            case .chunk(let data):
                state.condition.broadcast()
                continuation.resume(returning: data)
            case .end: continuation.resume(returning: nil)
            case .fail(let error): continuation.resume(throwing: error)
            case .wait: break
            }
        }
    }
}
