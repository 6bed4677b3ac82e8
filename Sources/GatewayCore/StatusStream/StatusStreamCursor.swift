import Foundation

/// What an open status stream sends next, decided from the submission's transitions and what was
/// already sent: no I/O, no clock, so every case is a table test.
///
/// The stream reads the whole (short) history each time it wakes and hands it here; the cursor
/// remembers the last sequence sent (or the client's `Last-Event-ID`), returns the events after it,
/// and says when the stream is over: right after a terminal state is sent, or at once when the
/// client already has it.
///
/// ```swift
/// var cursor = StatusStreamCursor(submissionId: id, lastEventId: 0, isTerminal: SubmissionState.isTerminal)
/// let step = cursor.advance(history)     // step.events to write, then close if step.finished
/// ```
public struct StatusStreamCursor: Sendable {
    /// A transition as the store keeps it, numbered by its position.
    public struct Transition: Hashable, Sendable {
        public var state: String
        public var observedAt: Int64
        public var message: String?

        public init(state: String, observedAt: Int64, message: String? = nil) {
            self.state = state
            self.observedAt = observedAt
            self.message = message
        }
    }

    public struct Step: Hashable, Sendable {
        public var events: [SubmissionStatusEvent]
        /// Close the stream after writing `events`.
        public var finished: Bool
    }

    public let submissionId: String
    /// The sequence of the last event the client has.
    public private(set) var lastSent: Int
    private let isTerminal: @Sendable (String) -> Bool

    public init(submissionId: String, lastEventId: Int, isTerminal: @escaping @Sendable (String) -> Bool) {
        self.submissionId = submissionId
        self.lastSent = max(0, lastEventId)
        self.isTerminal = isTerminal
    }

    /// The events of `history` (oldest first, the whole list) after the last one sent.
    public mutating func advance(_ history: [Transition]) -> Step {
        // A client that already has a terminal state (sent here, or before it reconnected) is done.
        if history.indices.prefix(lastSent).contains(where: { ends(history, at: $0) }) { return Step(events: [], finished: true) }
        var events: [SubmissionStatusEvent] = []
        for (index, transition) in history.enumerated() where index + 1 > lastSent {
            let sequence = index + 1
            events.append(
                SubmissionStatusEvent(
                    submissionId: submissionId, sequence: sequence, state: transition.state,
                    observedAt: transition.observedAt, message: transition.message.flatMap { $0.isEmpty ? nil : $0 }))
            lastSent = sequence
            // Nothing follows a terminal state; a later row (an operator's FAILED after its own
            // SUBMISSION_FAILED) is not sent to a client that was told the job ended.
            if ends(history, at: index) { return Step(events: events, finished: true) }
        }
        return Step(events: events, finished: false)
    }

    /// Whether the transition at `index` ends the submission. `SUBMISSION_FAILED` does only when the
    /// gateway recorded it (its create failed or could not be confirmed: only `ACCEPTED` or `OUTCOME_UNKNOWN` before it). Reported by the
    /// operator for an application that exists, it is never final: the operator retries the
    /// submission (`onSubmissionFailureRetries`) or moves on to `FAILED`.
    private func ends(_ history: [Transition], at index: Int) -> Bool {
        let state = history[index].state
        guard isTerminal(state) else { return false }
        guard state == "SUBMISSION_FAILED" else { return true }
        return history[..<index].allSatisfy { $0.state == "ACCEPTED" || $0.state == "OUTCOME_UNKNOWN" }
    }

    /// An event in the `text/event-stream` format: `id`, `event: state`, one `data` line, a blank line.
    public static func frame(_ event: SubmissionStatusEvent, json: String) -> String {
        "id: \(event.sequence)\nevent: state\ndata: \(json)\n\n"
    }

    /// The stream's first line: clients reconnect after 3 s.
    public static let preamble = "retry: 3000\n\n"
    /// Sent while nothing else is, so intermediaries keep the connection and clients see it alive.
    public static let heartbeat = ": heartbeat\n\n"

    /// `Last-Event-ID` (header) or `lastEventId` (query) as a sequence number: nil when absent,
    /// `.failure` with the message when it is not a non-negative integer.
    public static func parseLastEventId(header: String?, query: String?) -> Result<Int, StatusStreamInputError>? {
        let (field, raw): (String, String?) = header != nil ? ("Last-Event-ID", header) : ("lastEventId", query)
        guard let raw else { return nil }
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .success(0) }
        guard let value = Int(trimmed), value >= 0 else {
            return .failure(StatusStreamInputError(message: "\(field) must be a non-negative integer (got '\(raw.prefix(40))')"))
        }
        return .success(value)
    }
}

/// A bad `Last-Event-ID`: the message names the field.
public struct StatusStreamInputError: Error, Hashable, Sendable {
    public var message: String
}
