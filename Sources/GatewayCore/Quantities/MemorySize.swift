import Foundation

/// A JVM/Spark memory size (`512m`, `2g`, `1.5g`) that also accepts Kubernetes binary and decimal
/// suffixes (`2Gi`, `2G`), held in bytes.
///
/// Spark reads `512m` as 512 MiB (not 0.512 as a Kubernetes quantity would), so memory strings are
/// parsed here rather than by ``Quantity``. The emitted form is always one Spark accepts:
/// ``sparkString`` gives whole gibibytes (`2g`) when exact, else whole mebibytes, rounded up (`615m`).
public struct MemorySize: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: Int64

    public init(bytes: Int64) { self.bytes = bytes }

    /// Parses `<number><unit>`; units (case-insensitive) `b`, `k`/`kb`/`ki`, `m`/`mb`/`mi`, `g`, `t`, `p`,
    /// all binary as the JVM reads them. A bare number is rejected: Spark would read it as MiB and
    /// Kubernetes as bytes, so the request must say which.
    public init(parsing text: String) throws(QuantityError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let numberPart = trimmed.prefix { ($0 >= "0" && $0 <= "9") || $0 == "." }
        var unit = trimmed.dropFirst(numberPart.count).lowercased()
        if unit.count == 2, unit.last == "i" || unit.last == "b" { unit.removeLast() }
        let shift: Int
        switch unit {
        case "b": shift = 0
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        case "p": shift = 50
        default: throw QuantityError(text)
        }
        guard !numberPart.isEmpty, numberPart.filter({ $0 == "." }).count <= 1,
            let value = Double(numberPart), value.isFinite
        else { throw QuantityError(text) }
        let bytes = (value * Double(Int64(1) << shift)).rounded(.up)
        guard bytes < 9.0e18 else { throw QuantityError(text) }
        self.bytes = Int64(bytes)
    }

    public static let mebibyte: Int64 = 1 << 20
    public static let gibibyte: Int64 = 1 << 30

    /// Whole mebibytes, rounded up.
    public var mebibytes: Int64 { (bytes + Self.mebibyte - 1) / Self.mebibyte }

    /// Whole gibibytes, truncated (Spark's `byteStringAsGb`: `512m` → 0).
    public var truncatedGibibytes: Int64 { bytes / Self.gibibyte }

    /// `2g` when a whole number of GiB, else `<MiB rounded up>m`.
    public var sparkString: String {
        let mib = mebibytes
        return mib % 1024 == 0 ? "\(mib / 1024)g" : "\(mib)m"
    }

    public var description: String { sparkString }

    public static func < (lhs: MemorySize, rhs: MemorySize) -> Bool { lhs.bytes < rhs.bytes }

    /// Scales by a ratio, rounding up to the next MiB so a request never shrinks.
    public func scaled(by ratio: Double) -> MemorySize {
        let mib = (Double(mebibytes) * ratio).rounded(.up)
        return MemorySize(bytes: Int64(min(mib, 8.0e12)) * Self.mebibyte)
    }
}
