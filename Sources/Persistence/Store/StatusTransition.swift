import Foundation

/// One accepted status change of a submission, in the order the store applied them.
///
/// A submission's transitions, oldest first, numbered from 1, are what the status stream
/// (`GET <root>/spark/{id}/events`) sends: the number is the position in this list, which only
/// ever grows at its end (every change is appended in the transaction that makes it, under the
/// row's lock).
public struct StatusTransition: Sendable, Equatable, Hashable {
    public var status: String
    /// The observed version the change came with (0 for the gateway's own changes).
    public var observedVersion: Int64
    public var time: Date
    /// Why, when there is something to say: a failed create's error, the reason an attempt was
    /// fenced, the operator's error message (with the gateway's note, such as the max-running-time
    /// stop, on a `FAILED`). Nil for rows written before the column existed.
    public var message: String?

    public init(status: String, observedVersion: Int64, time: Date, message: String? = nil) {
        self.status = status
        self.observedVersion = observedVersion
        self.time = time
        self.message = message
    }
}
