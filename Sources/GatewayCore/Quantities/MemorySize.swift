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
        // Byte-level: this runs for every pod of every submission.
        var utf8 = Substring(text).utf8[...]
        while let first = utf8.first, first == 32 || first == 9 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 32 || last == 9 { utf8 = utf8.dropLast() }
        var whole: Int64 = 0
        var fraction: Double = 0
        var scale = 0.1
        var digits = 0
        var seenDot = false
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let b = utf8[index]
            if b >= 48 && b <= 57 {
                digits += 1
                if seenDot {
                    fraction += Double(b - 48) * scale
                    scale /= 10
                } else {
                    guard whole < 1 << 40 else { throw QuantityError(text) }
                    whole = whole * 10 + Int64(b - 48)
                }
            } else if b == 46 {
                guard !seenDot else { throw QuantityError(text) }
                seenDot = true
            } else {
                break
            }
            index = utf8.index(after: index)
        }
        guard digits > 0 else { throw QuantityError(text) }
        var unit = Array(utf8[index...]).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        if unit.count == 2, unit[1] == 105 || unit[1] == 98 { unit.removeLast() }  // "gi", "gb" → "g"
        guard unit.count == 1 else { throw QuantityError(text) }
        let shift: Int
        switch unit[0] {
        case 98: shift = 0  // b
        case 107: shift = 10  // k
        case 109: shift = 20  // m
        case 103: shift = 30  // g
        case 116: shift = 40  // t
        case 112: shift = 50  // p
        default: throw QuantityError(text)
        }
        let bytes = ((Double(whole) + fraction) * Double(Int64(1) << shift)).rounded(.up)
        guard bytes < 9.0e18 else { throw QuantityError(text) }
        self.bytes = Int64(bytes)
    }

    public static let mebibyte: Int64 = 1 << 20
    public static let gibibyte: Int64 = 1 << 30

    /// Whole mebibytes, rounded up.
    public var mebibytes: Int64 {
        // Not `(bytes + mebibyte - 1) / mebibyte`, which overflows for sizes near Int64.max.
        bytes / Self.mebibyte + (bytes % Self.mebibyte > 0 ? 1 : 0)
    }

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
        // Clamped to 0…8×10^12 MiB (≈ 8.4×10^18 bytes, just under Int64.max) before multiplying; a
        // NaN or infinite ratio cannot trap.
        let mib = min(max(Int64(saturating: Double(mebibytes) * ratio, rounding: .up), 0), 8_000_000_000_000)
        return MemorySize(bytes: mib * Self.mebibyte)
    }
}
