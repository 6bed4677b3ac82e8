/// A Kubernetes resource quantity (`500m`, `2`, `1.5`, `2Gi`, `128M`, `1e3`), held exactly in
/// thousandths so CPU millicores round-trip: `Quantity("500m")` is half a core.
///
/// ```swift
/// let limit = try Quantity(parsing: "1200m")
/// limit.millis            // 1200
/// limit.millicoresString  // "1200m"
/// ```
public struct Quantity: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The value × 1000, rounded up (Kubernetes rounds sub-milli precision up too).
    public let millis: Int64

    /// A quantity of `millis` thousandths.
    public init(millis: Int64) { self.millis = millis }

    /// A whole number of units (cores, bytes), clamped to the representable range.
    public init(units: Int64) { self.millis = units.saturatingMultiplied(by: 1000) }

    /// Parses the Kubernetes quantity grammar: a decimal number with an optional binary (`Ki`…`Ei`),
    /// decimal (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`) or exponent (`e3`) suffix.
    /// Negative values and values beyond 2^63 thousandths are rejected.
    public init(parsing text: String) throws(QuantityError) {
        let s = Array(text.utf8)
        var i = 0
        if i < s.count, s[i] == 43 { i += 1 }  // '+'
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenDot = false
        while i < s.count, (s[i] >= 48 && s[i] <= 57) || s[i] == 46 {
            if s[i] == 46 {
                guard !seenDot else { throw QuantityError(text) }
                seenDot = true
            } else {
                digits.append(s[i] - 48)
                if seenDot { fractionDigits += 1 }
            }
            i += 1
        }
        guard !digits.isEmpty else { throw QuantityError(text) }
        let suffix = String(decoding: s[i...], as: UTF8.self)
        // Value = digits × 10^(exp10 − fractionDigits) × 2^exp2, then × 1000 for millis.
        var exp10 = 3
        var exp2 = 0
        switch suffix {
        case "": break
        case "n": exp10 -= 9
        case "u": exp10 -= 6
        case "m": exp10 -= 3
        case "k": exp10 += 3
        case "M": exp10 += 6
        case "G": exp10 += 9
        case "T": exp10 += 12
        case "P": exp10 += 15
        case "E": exp10 += 18
        case "Ki": exp2 = 10
        case "Mi": exp2 = 20
        case "Gi": exp2 = 30
        case "Ti": exp2 = 40
        case "Pi": exp2 = 50
        case "Ei": exp2 = 60
        default:
            // A range check, not `abs`: `abs(Int.min)` traps ("1e-9223372036854775808").
            guard let first = suffix.first, first == "e" || first == "E",
                let exponent = Int(suffix.dropFirst()), (-30...30).contains(exponent)
            else { throw QuantityError(text) }
            exp10 += exponent
        }
        exp10 -= fractionDigits
        // Exact integer arithmetic; drop leading zeros so long inputs such as "0.000…1" stay in range.
        var mantissa = digits.drop { $0 == 0 }
        var roundUp = false
        while exp10 < 0 {
            if let last = mantissa.popLast() {
                if last != 0 { roundUp = true }
            }
            exp10 += 1
        }
        var value: Int64 = 0
        for d in mantissa {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { throw QuantityError(text) }
            value = a
        }
        for _ in 0..<exp10 {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { throw QuantityError(text) }
            value = m
        }
        if exp2 > 0 {
            guard value == 0 || value.leadingZeroBitCount > exp2 else { throw QuantityError(text) }
            value <<= exp2
        }
        if roundUp {
            let (a, o) = value.addingReportingOverflow(1)
            guard !o else { throw QuantityError(text) }
            value = a
        }
        millis = value
    }

    /// Whole units, rounded up (`1500m` → 2).
    public var roundedUpUnits: Int64 {
        // Not `(millis + 999) / 1000`, which overflows for values near Int64.max.
        millis / 1000 + (millis % 1000 > 0 ? 1 : 0)
    }

    /// The value as a double (`500m` → 0.5).
    public var doubleValue: Double { Double(millis) / 1000 }

    /// Millicore form, always valid for a CPU field: `1000m`, `1500m`.
    public var millicoresString: String { "\(millis)m" }

    /// Canonical form: whole units when exact (`2`), else millis (`1500m`).
    public var description: String { millis % 1000 == 0 ? String(millis / 1000) : "\(millis)m" }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.millis < rhs.millis }

    /// Scales by a positive ratio, rounding up to the next thousandth.
    public func scaled(by ratio: Double) -> Quantity {
        Quantity(millis: max(0, Int64(saturating: Double(millis) * ratio, rounding: .up)))
    }
}

/// A string that is not a valid Kubernetes quantity (or Spark memory size).
public struct QuantityError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rejected input.
    public let text: String
    init(_ text: String) { self.text = text }
    public var description: String { "invalid quantity \"\(text)\"" }
}
