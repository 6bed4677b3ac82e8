import Foundation

/// One accepted status change of a submission, in the order the store applied them.
public struct StatusTransition: Sendable, Equatable, Hashable {
    public var status: String
    /// The observed version the change came with (0 for the gateway's own changes).
    public var observedVersion: Int64
    public var time: Date

    public init(status: String, observedVersion: Int64, time: Date) {
        self.status = status
        self.observedVersion = observedVersion
        self.time = time
    }
}
