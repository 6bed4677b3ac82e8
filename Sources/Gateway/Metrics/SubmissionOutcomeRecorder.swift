import Synchronization

/// Follows one submission through `SubmissionService.submit` and counts it once when it ends:
/// `bpg_submissions_total` with the last cluster tried and the resolved queue, and a
/// `bpg_failovers_total` for every move to a next candidate.
final class SubmissionOutcomeRecorder: Sendable {
    private struct State {
        var cluster: String?
        var queue: String?
        var finished = false
    }

    private let metrics: GatewayMetrics?
    private let state = Mutex(State())

    init(metrics: GatewayMetrics?) {
        self.metrics = metrics
    }

    /// A create is about to be tried on `cluster`; a previous attempt means the last one failed over.
    func attempt(cluster: String, queue: String) {
        let previous = state.withLock { state -> String? in
            defer {
                state.cluster = cluster
                state.queue = queue
            }
            return state.cluster
        }
        if let previous {
            metrics?.recordFailover(from: previous, to: cluster)
        }
    }

    /// An idempotent retry was answered with the original submission.
    func replayed(queue: String) {
        record(.replayed, queue: queue)
    }

    /// The submission returned an id: created, unless already counted as replayed.
    func finish() {
        record(.created, queue: nil)
    }

    /// The submission threw: a 4xx answer is a rejection, anything else a failure.
    func finish(error: any Error) {
        let status = GatewayMetrics.status(of: error)
        record((400..<500).contains(status) ? .rejected : .failed, queue: nil)
    }

    private func record(_ outcome: GatewayMetrics.SubmissionOutcome, queue: String?) {
        let labels = state.withLock { state -> (cluster: String?, queue: String?)? in
            guard !state.finished else { return nil }
            state.finished = true
            if let queue { state.queue = queue }
            return (outcome == .replayed ? nil : state.cluster, state.queue)
        }
        if let labels {
            metrics?.recordSubmission(cluster: labels.cluster, queue: labels.queue, outcome: outcome)
        }
    }
}
