import JSON
import Synchronization

/// The outcomes tests asked for, by application name, with the per-application annotation as fallback.
final class OutcomeBook: Sendable {
    private let outcomes = Mutex<[String: SimulatedOutcome]>([:])

    func set(_ outcome: SimulatedOutcome, forApplicationNamed name: String) {
        outcomes.withLock { $0[name] = outcome }
    }

    /// What `name` should do: the outcome set for it, else its annotation, else `.completed`.
    func outcome(namespace: String, name: String, application: JSONValue) -> SimulatedOutcome {
        if let chosen = outcomes.withLock({ $0[name] }) { return chosen }
        let annotation = application[path: ["metadata", "annotations", SimulatedOutcome.annotation]]?.stringValue
        return annotation.flatMap(SimulatedOutcome.init(rawValue:)) ?? .completed
    }
}
