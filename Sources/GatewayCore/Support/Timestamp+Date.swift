import Foundation

extension Timestamp {
    /// Epoch milliseconds of a date, rounded down as Java's `Instant.toEpochMilli` does: the one
    /// conversion every response built from a record or an object uses.
    public static func epochMillis(_ date: Date) -> Int64 {
        Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded(.down)) ?? 0
    }

    /// The date of epoch milliseconds.
    public static func date(epochMillis millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }

    /// Now, in epoch milliseconds.
    public static var nowMillis: Int64 { epochMillis(Date()) }
}
