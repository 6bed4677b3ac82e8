import Synchronization

/// Faults tests switch on: failing the next SparkApplication creates with a chosen status, and latency
/// added to every request.
final class FaultInjector: Sendable {
    struct State {
        var failures: [Int] = []
        var delayedCreates: [DelayedCreate] = []
        var latency: Duration = .zero
    }

    /// A create that is stored (or dropped) only after a delay, whatever the client does meanwhile.
    struct DelayedCreate: Sendable {
        var delay: Duration
        var storing: Bool
    }

    func delayNextCreates(_ count: Int, by delay: Duration, storing: Bool) {
        state.withLock {
            $0.delayedCreates.append(
                contentsOf: Array(repeating: DelayedCreate(delay: delay, storing: storing), count: max(count, 0)))
        }
    }

    /// The delay the next create must wait, consuming it; nil to handle it at once.
    func takeCreateDelay() -> DelayedCreate? {
        state.withLock { $0.delayedCreates.isEmpty ? nil : $0.delayedCreates.removeFirst() }
    }

    private let state = Mutex(State())

    func failNextCreates(_ count: Int, status: Int) {
        state.withLock { $0.failures.append(contentsOf: Array(repeating: status, count: max(count, 0))) }
    }

    func setLatency(_ latency: Duration) {
        state.withLock { $0.latency = max(latency, .zero) }
    }

    var latency: Duration { state.withLock { $0.latency } }

    /// The status the next create must fail with, consuming it; nil to let it through.
    func takeCreateFailure() -> Int? {
        state.withLock { $0.failures.isEmpty ? nil : $0.failures.removeFirst() }
    }

    /// The Status body a real API server (or the proxy in front of it) sends for these codes.
    static func status(for code: Int) -> KubeStatus {
        switch code {
        case 429:
            return KubeStatus(
                code: 429, reason: "TooManyRequests", message: "Too many requests, please try again later.", retryAfterSeconds: 1)
        case 503:
            return KubeStatus(code: 503, reason: "ServiceUnavailable", message: "the server is currently unable to handle the request")
        case 504:
            return KubeStatus(code: 504, reason: "Timeout", message: "the server was unable to return a response in the time allotted")
        case 500:
            return KubeStatus(code: 500, reason: "InternalError", message: "Internal error occurred: simulated failure")
        default:
            return KubeStatus(code: code, reason: "InternalError", message: "simulated failure (HTTP \(code))")
        }
    }
}
