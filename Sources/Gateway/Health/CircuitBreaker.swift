import GatewayCore

/// The per-cluster circuit breaker: a pure state machine, events in, state out.
///
/// ```
/// closed ──failureThreshold consecutive failures──▶ open
/// open ──a success (probe or call), or the cool-down──▶ halfOpen
/// halfOpen ──recoveryThreshold consecutive successes──▶ closed
/// halfOpen ──any failure──▶ open
/// ```
///
/// A failure is an outcome that says the cluster is unwell (transport failure, 5xx, 429:
/// `KubeError.isRetriable`); an HTTP 4xx answer means the API server works, so it is a success here.
/// The breaker keeps no clock: the owner sends ``Event/coolDownElapsed`` when it decides the cool-down
/// has passed, so every transition is testable without sleeping.
struct CircuitBreaker: Hashable, Sendable {
    /// Where the breaker stands.
    enum State: String, Hashable, Sendable, Codable, CaseIterable {
        /// Routed to; failures are being counted.
        case closed
        /// Skipped by routing (when health checking is enabled) until it shows signs of life.
        case open
        /// On trial: routed to again, back to `open` on the first failure.
        case halfOpen
    }

    /// What happened to the cluster.
    enum Event: Hashable, Sendable, CaseIterable {
        /// A call or probe got an answer showing the API server works.
        case success
        /// A call or probe failed in a way that says the cluster is unwell.
        case failure
        /// The breaker has been open for the cool-down period without a new failure.
        case coolDownElapsed
    }

    /// How many outcomes move the breaker.
    struct Thresholds: Hashable, Sendable {
        /// Consecutive failures that open a closed breaker (at least 1).
        var failureThreshold: Int
        /// Consecutive successes that close a half-open breaker (at least 1).
        var recoveryThreshold: Int

        init(failureThreshold: Int, recoveryThreshold: Int) {
            self.failureThreshold = max(1, failureThreshold)
            self.recoveryThreshold = max(1, recoveryThreshold)
        }
    }

    let thresholds: Thresholds
    private(set) var state: State = .closed
    /// Failures since the last success.
    private(set) var consecutiveFailures = 0
    /// Successes since the last failure.
    private(set) var consecutiveSuccesses = 0
    /// Whether any outcome was seen yet (a cluster never observed is `unknown`, not `up`).
    private(set) var observed = false

    init(thresholds: Thresholds) {
        self.thresholds = thresholds
    }

    /// Applies `event` and returns the new state when it changed, nil otherwise.
    @discardableResult
    mutating func handle(_ event: Event) -> State? {
        let before = state
        switch event {
        case .success:
            observed = true
            consecutiveFailures = 0
            consecutiveSuccesses += 1
            switch state {
            case .closed:
                break
            case .open:
                // The first sign of life opens the trial; a threshold of 1 ends it at once.
                state = thresholds.recoveryThreshold <= 1 ? .closed : .halfOpen
                if state == .closed { consecutiveSuccesses = 0 }
            case .halfOpen:
                if consecutiveSuccesses >= thresholds.recoveryThreshold {
                    state = .closed
                    consecutiveSuccesses = 0
                }
            }
        case .failure:
            observed = true
            consecutiveSuccesses = 0
            consecutiveFailures += 1
            switch state {
            case .closed:
                if consecutiveFailures >= thresholds.failureThreshold { state = .open }
            case .open:
                break
            case .halfOpen:
                state = .open
            }
        case .coolDownElapsed:
            if state == .open {
                state = .halfOpen
                consecutiveSuccesses = 0
            }
        }
        return state == before ? nil : state
    }

    /// The health routing sees: `down` only when open; failures short of the threshold or a trial
    /// make the cluster `degraded` (still routed to); nothing observed yet is `unknown`.
    var health: ClusterHealth {
        guard observed else { return .unknown }
        switch state {
        case .open: return .down
        case .halfOpen: return .degraded
        case .closed: return consecutiveFailures > 0 ? .degraded : .up
        }
    }
}
