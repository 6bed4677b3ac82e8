import Foundation
import Synchronization

/// Container logs of the simulated pods: lines appended by the operator while a pod runs, closed when
/// it finishes, read whole or followed as a stream.
public final class PodLogStore: Sendable {
    struct Log {
        var lines: [String] = []
        var finished = false
        var followers: [Int: AsyncStream<String>.Continuation] = [:]
    }

    struct State {
        var logs: [String: Log] = [:]
        var nextFollowerID = 0
    }

    private let state = Mutex(State())

    /// An empty log store.
    public init() {}

    private static func key(_ namespace: String, _ pod: String) -> String { "\(namespace)/\(pod)" }

    /// Appends lines to a pod's log (creating it) and hands them to followers.
    public func append(namespace: String, pod: String, lines: [String]) {
        state.withLock { state in
            var log = state.logs[Self.key(namespace, pod)] ?? Log()
            guard !log.finished else { return }
            log.lines.append(contentsOf: lines)
            for continuation in log.followers.values {
                for line in lines { continuation.yield(line) }
            }
            state.logs[Self.key(namespace, pod)] = log
        }
    }

    /// Marks a pod's log complete (the container exited): followers' streams end.
    public func finish(namespace: String, pod: String) {
        let followers = state.withLock { state -> [AsyncStream<String>.Continuation] in
            var log = state.logs[Self.key(namespace, pod)] ?? Log()
            log.finished = true
            let followers = Array(log.followers.values)
            log.followers.removeAll()
            state.logs[Self.key(namespace, pod)] = log
            return followers
        }
        for continuation in followers { continuation.finish() }
    }

    /// Forgets a pod's log (the pod was deleted); followers' streams end.
    public func remove(namespace: String, pod: String) {
        let followers = state.withLock { state in
            state.logs.removeValue(forKey: Self.key(namespace, pod)).map { Array($0.followers.values) } ?? []
        }
        for continuation in followers { continuation.finish() }
    }

    /// Ends every follow stream (the API server stopped answering); the logs themselves stay.
    public func closeAllFollowers() {
        let followers = state.withLock { state -> [AsyncStream<String>.Continuation] in
            var all: [AsyncStream<String>.Continuation] = []
            for key in state.logs.keys {
                all += Array(state.logs[key]?.followers.values ?? [:].values)
                state.logs[key]?.followers.removeAll()
            }
            return all
        }
        for continuation in followers { continuation.finish() }
    }

    /// The log lines so far.
    public func lines(namespace: String, pod: String) -> [String] {
        state.withLock { $0.logs[Self.key(namespace, pod)]?.lines ?? [] }
    }

    /// The last `tailLines` lines so far (all when nil), then every new line until the log finishes.
    public func follow(namespace: String, pod: String, tailLines: Int?) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let key = Self.key(namespace, pod)
        let registered = state.withLock { state -> Int? in
            var log = state.logs[key] ?? Log()
            let existing = tailLines.map { Array(log.lines.suffix(max($0, 0))) } ?? log.lines
            for line in existing { continuation.yield(line) }
            if log.finished { return nil }
            let id = state.nextFollowerID
            state.nextFollowerID += 1
            log.followers[id] = continuation
            state.logs[key] = log
            return id
        }
        guard let id = registered else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.logs[key]?.followers.removeValue(forKey: id) }
        }
        return stream
    }
}
