import Foundation
import JSON
import Synchronization

/// The outcomes tests asked for, by application name, with the per-application annotation as
/// fallback. Each is a list, one per submission attempt; the last one repeats.
final class OutcomeBook: Sendable {
    private let outcomes = Mutex<[String: [SimulatedOutcome]]>([:])

    func set(_ outcome: SimulatedOutcome, forApplicationNamed name: String) {
        set([outcome], forApplicationNamed: name)
    }

    func set(_ outcomes: [SimulatedOutcome], forApplicationNamed name: String) {
        self.outcomes.withLock { $0[name] = outcomes.isEmpty ? nil : outcomes }
    }

    /// What `name` should do at submission attempt `attempt` (1 for the first): the outcomes set for
    /// it, else its annotation, else `.completed`.
    func outcome(namespace: String, name: String, application: JSONValue, attempt: Int = 1) -> SimulatedOutcome {
        let list =
            outcomes.withLock({ $0[name] })
            ?? application[path: ["metadata", "annotations", SimulatedOutcome.annotation]]?.stringValue.map(Self.parse)
            ?? []
        guard let last = list.last else { return .completed }
        return attempt >= 1 && attempt <= list.count ? list[attempt - 1] : last
    }

    /// `failed,failed,completed`; unreadable entries are skipped.
    static func parse(_ text: String) -> [SimulatedOutcome] {
        text.split(separator: ",").compactMap { SimulatedOutcome(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }
}
