/// One state transition of a submission, as the status stream (`GET <root>/spark/{id}/events`) sends
/// it in an event's `data` line:
/// `{"submissionId": "...", "sequence": 2, "state": "RUNNING", "observedAt": 1733212800000}`.
///
/// `sequence` numbers a submission's transitions 1, 2, 3… oldest first, and is also the event's `id`,
/// so a client resumes with `Last-Event-ID`. `message` is present only when there is one (a failed
/// create's error, the operator's error message, the gateway's note).
public struct SubmissionStatusEvent: Codable, Hashable, Sendable {
    public var submissionId: String
    public var sequence: Int
    public var state: String
    /// When the gateway recorded the transition, epoch milliseconds.
    public var observedAt: Int64
    public var message: String?

    public init(submissionId: String, sequence: Int, state: String, observedAt: Int64, message: String? = nil) {
        self.submissionId = submissionId
        self.sequence = sequence
        self.state = state
        self.observedAt = observedAt
        self.message = message
    }
}
