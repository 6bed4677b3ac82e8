import Foundation

/// A named lease held by one gateway replica until it expires (leader election for the monitor).
public struct Lease: Sendable, Equatable {
    public var name: String
    public var holder: String
    /// When the lease lapses unless renewed, by the database's clock (MySQL) or this host's (SQLite).
    public var expiresAt: Date
    /// Increases each time the lease changes hands: a fencing token for work done under the lease.
    public var token: Int64

    public init(name: String, holder: String, expiresAt: Date, token: Int64) {
        self.name = name
        self.holder = holder
        self.expiresAt = expiresAt
        self.token = token
    }
}
