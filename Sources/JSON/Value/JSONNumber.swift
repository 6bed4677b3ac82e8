/// A JSON number, kept exactly: integers that fit `Int64` as that integer, every other number as
/// the text it was written with, so large integers and decimals such as `0.1` survive a round trip.
///
/// Two numbers are equal when they are the same decimal value, however written: `1`, `1.0` and
/// `10e-1` are equal; `9007199254740993` and `9007199254740992` are not (no rounding to `Double`).
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    private enum Storage: Sendable, Hashable {
        case integer(Int64)
        /// Valid JSON number text that is not a plain `Int64` (a fraction, an exponent, `-0`, or an
        /// integer beyond 64 bits).
        case text(String)
    }

    private let storage: Storage

    /// An integer. Values beyond `Int64` (a large `UInt64`) are kept as text.
    public init<I: BinaryInteger>(_ value: I) {
        if let exact = Int64(exactly: value) {
            storage = .integer(exact)
        } else {
            storage = .text(String(value))
        }
    }

    /// A finite double, written as its shortest round-tripping form; `nil` for NaN and infinity.
    /// Integral values below 2^53 are kept as integers, so `3.0` is written `3`.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value.rounded(.towardZero) == value, abs(value) < 9_007_199_254_740_992, !(value == 0 && value.sign == .minus) {
            storage = .integer(Int64(value))
        } else {
            storage = .text(Self.text(of: value))
        }
    }

    /// A number from its JSON text; `nil` when `text` is not a JSON number (RFC 8259 grammar).
    public init?(text: String) {
        let utf8 = Array(text.utf8)
        let valid = utf8.withUnsafeBytes { JSONNumber.scanNumber($0, from: 0) == $0.count }
        guard valid else { return nil }
        self.init(validText: text)
    }

    /// Text already known to follow the grammar (from the parser).
    init(validText text: String) {
        if let integer = Int64(text), text != "-0" {
            storage = .integer(integer)
        } else {
            storage = .text(text)
        }
    }

    init(integer: Int64) { storage = .integer(integer) }

    /// The JSON text of the number.
    public var text: String {
        switch storage {
        case .integer(let value): String(value)
        case .text(let text): text
        }
    }

    /// The JSON text.
    public var description: String { text }

    /// Whether the number is written without fraction or exponent.
    public var isInteger: Bool {
        switch storage {
        case .integer: true
        case .text(let text): !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        }
    }

    /// The value as an `Int64`, when it is integral and fits (`2`, `2.0`, `2e0`).
    public var int64Value: Int64? {
        switch storage {
        case .integer(let value): return value
        case .text(let text):
            if let exact = Int64(text) { return exact }
            guard let double = Double(text), double.rounded(.towardZero) == double, abs(double) < 9.2e18 else { return nil }
            return Int64(double)
        }
    }

    /// The value as an `Int`, when it is integral and fits.
    public var intValue: Int? { int64Value.flatMap { Int(exactly: $0) } }

    /// The nearest `Double`.
    public var doubleValue: Double {
        switch storage {
        case .integer(let value): Double(value)
        case .text(let text): Double(text) ?? .nan
        }
    }

    /// Equal decimal values.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .integer(let a) = lhs.storage, case .integer(let b) = rhs.storage { return a == b }
        return lhs.canonical == rhs.canonical
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = canonical
        hasher.combine(canonical.negative)
        hasher.combine(canonical.digits)
        hasher.combine(canonical.exponent)
    }

    /// The value as sign × digits × 10^exponent with no leading or trailing zeros in `digits`
    /// (zero is `("", 0)`, unsigned): equal values have equal canonical forms.
    private var canonical: (negative: Bool, digits: String, exponent: Int) {
        let text = self.text.utf8
        var negative = false
        var digits: [UInt8] = []
        var fractionCount = 0
        var exponent = 0
        var inFraction = false
        var index = text.startIndex
        if text.first == UInt8(ascii: "-") {
            negative = true
            index = text.index(after: index)
        }
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                // Clamped: exponents beyond this are far outside anything a Double or decimal holds.
                let rest = String(decoding: text[text.index(after: index)...], as: UTF8.self)
                exponent = Int(rest.hasPrefix("+") ? String(rest.dropFirst()) : rest) ?? (rest.hasPrefix("-") ? Int.min / 4 : Int.max / 4)
                break
            } else {
                digits.append(byte)
                if inFraction { fractionCount += 1 }
            }
            index = text.index(after: index)
        }
        let leading = digits.firstIndex { $0 != UInt8(ascii: "0") } ?? digits.count
        digits.removeFirst(leading)
        var trailing = 0
        while let last = digits.last, last == UInt8(ascii: "0") {
            digits.removeLast()
            trailing += 1
        }
        if digits.isEmpty { return (false, "", 0) }
        let (adjusted, overflow) = exponent.subtractingReportingOverflow(fractionCount - trailing)
        return (negative, String(decoding: digits, as: UTF8.self), overflow ? exponent : adjusted)
    }

    /// The integer, when stored as one (no conversion): the decoder's fast path.
    var storedInteger: Int64? { if case .integer(let value) = storage { value } else { nil } }

    /// Swift's shortest round-tripping form is valid JSON except for `inf`/`nan` (excluded) and a
    /// missing leading digit never occurs; `1e+20` is valid JSON as written.
    private static func text(of value: Double) -> String { "\(value)" }

    /// The end of a number starting at `start` in `bytes`, or `nil` if the grammar is violated there.
    static func scanNumber(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { return nil }  // leading zero
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        return index
    }
}

extension JSONNumber: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { storage = .integer(value) }
}
