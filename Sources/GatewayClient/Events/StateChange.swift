import Foundation
import GatewayCore
import JSON

/// One state a submission reached, from the status stream or from polling its status.
public struct StateChange: Sendable, Equatable {
    public var submissionId: String
    /// The operator's state (`SUBMITTED`, `RUNNING`, `COMPLETED`, `FAILED`, …), or `KILLED` when the
    /// application was deleted while being watched.
    public var state: String
    /// The operator's error, the gateway's note, a submission failure's reason.
    public var message: String?
    /// The stream's sequence number (1, 2, 3…); nil when polled.
    public var sequence: Int?
    /// When the gateway observed it (epoch ms); nil when polled.
    public var observedAt: Int64?

    public init(submissionId: String, state: String, message: String? = nil, sequence: Int? = nil, observedAt: Int64? = nil) {
        self.submissionId = submissionId
        self.state = state
        self.message = message
        self.sequence = sequence
        self.observedAt = observedAt
    }

    /// The state a deleted application is reported in.
    public static let killed = "KILLED"

    /// True when the job will not change any more: the operator's terminal states (GatewayCore's
    /// `ApplicationState.Kind.isTerminal`: COMPLETED, FAILED), plus the states in which the gateway
    /// freezes a submission's record (`SUBMISSION_FAILED`: its create failed; `FENCED`: abandoned)
    /// and `KILLED`.
    public var isFinal: Bool { Self.isFinal(state) }

    public static func isFinal(_ state: String) -> Bool {
        ApplicationState.Kind(rawValue: state).isTerminal
            || [ApplicationState.Kind.submissionFailed.rawValue, "FENCED", "FAILED_SUBMISSION", killed].contains(state)
    }

    /// Whether `state`, seen after `earlier` (oldest first), ends the job. `SUBMISSION_FAILED` does
    /// only as the gateway's own record of a failed create (nothing but `ACCEPTED` or
    /// `OUTCOME_UNKNOWN` before it); reported by the operator for an application that exists, it is
    /// followed by a retry or by `FAILED` (the server's stream follows the same rule).
    public static func isFinal(_ state: String, after earlier: [String]) -> Bool {
        guard isFinal(state) else { return false }
        guard state == ApplicationState.Kind.submissionFailed.rawValue else { return true }
        return earlier.allSatisfy { $0 == "ACCEPTED" || $0 == "OUTCOME_UNKNOWN" }
    }

    /// True only for `COMPLETED`.
    public var isSuccess: Bool { state == ApplicationState.Kind.completed.rawValue }

    /// Reads a stream event's `data:` (`{"submissionId", "sequence", "state", "observedAt", "message"}`).
    init(eventData: String, fallbackId: String) throws(GatewayClientError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: eventData)
        } catch {
            throw .unexpected("a state event is not JSON: \(error)")
        }
        guard let state = value["state"]?.stringValue else { throw .unexpected("a state event has no state") }
        self.init(
            submissionId: value["submissionId"]?.stringValue ?? fallbackId, state: state, message: value["message"]?.stringValue,
            sequence: value["sequence"]?.intValue, observedAt: value["observedAt"]?.int64Value)
    }
}
