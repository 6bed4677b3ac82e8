/// Arithmetic that cannot trap, for numbers that reach the gateway from outside (requests, the
/// configuration file, objects read back from clusters). Swift traps on integer overflow and on
/// converting an out-of-range or NaN `Double` to an integer, and a trap kills the whole process, so
/// every such operation on untrusted numbers goes through these instead of `+`, `*` or `Int(_:)`.
extension FixedWidthInteger {
    /// `value` rounded with `rule` and clamped to `min...max`; NaN becomes 0.
    ///
    /// ```swift
    /// Int64(saturating: 1e400)          // Int64.max
    /// Int(saturating: 2.5, rounding: .up) // 3
    /// ```
    @inlinable
    public init(saturating value: Double, rounding rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) {
        let rounded = value.rounded(rule)
        if rounded.isNaN {
            self = 0
        } else if rounded >= Double(Self.max) {
            // Double(Int64.max) is 2^63, one past the maximum: `>=` keeps the conversion below in range.
            self = .max
        } else if rounded <= Double(Self.min) {
            self = .min
        } else {
            self.init(rounded)
        }
    }

    /// `self + other`, clamped to the type's range instead of trapping.
    @inlinable
    public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self − other`, clamped to the type's range instead of trapping.
    @inlinable
    public func saturatingSubtracting(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self × other`, clamped to the type's range instead of trapping.
    @inlinable
    public func saturatingMultiplied(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
