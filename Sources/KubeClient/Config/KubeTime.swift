import Foundation

/// Kubernetes timestamps: RFC 3339 (`metav1.Time`, seconds) and `metav1.MicroTime` (microseconds).
public enum KubeTime {
    /// Parses `2026-11-25T12:00:00Z`, with or without fractional seconds or a numeric offset.
    public static func parse(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }

    /// `metav1.Time`: `2026-11-25T12:00:00Z`.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `metav1.MicroTime`: `2026-11-25T12:00:00.123456Z`, as leases use.
    public static func formatMicro(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let base = format(Date(timeIntervalSince1970: seconds)).dropLast()  // drop "Z"
        return "\(base).\(String(format: "%06d", micros))Z"
    }
}
