/// Recognises the textual forms of booleans and numbers in scalars (see `docs/yaml.md`).
enum ScalarForms {
    /// `true`/`false` in YAML 1.2's three spellings.
    static func coreBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// YAML 1.1's extra spellings, accepted only when decoding into `Bool`.
    static func legacyBool(_ text: String) -> Bool? {
        switch text {
        case "yes", "Yes", "YES", "on", "On", "ON": true
        case "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    /// An integer literal: optional sign, then decimal, `0x` hex, `0o` or leading-`0` octal, or `0b`
    /// binary, with `_` separators. Returns `nil` when the text is no integer literal, and
    /// `.overflow` when it is one that does not fit `T`.
    enum IntegerResult<T> {
        case value(T)
        case overflow
    }

    static func integer<T: FixedWidthInteger>(_ text: String, as type: T.Type = T.self) -> IntegerResult<T>? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0o") || digits.hasPrefix("0O") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0b") || digits.hasPrefix("0B") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == "0" {
            // YAML 1.1 (and Kubernetes' `defaultMode: 0644`) reads a leading zero as octal.
            radix = 8
            digits = digits.dropFirst()
        }
        guard let first = digits.first, first != "_" else { return nil }
        var cleaned = ""
        cleaned.reserveCapacity(digits.count + 1)
        if negative { cleaned.append("-") }
        for character in digits where character != "_" {
            guard character.isASCII, character.hexDigitValue.map({ $0 < radix }) == true else { return nil }
            cleaned.append(character)
        }
        if let value = T(cleaned, radix: radix) { return .value(value) }
        return .overflow
    }

    /// A floating-point literal: `.inf`/`.nan` in their YAML spellings, integer literals, and decimal
    /// `[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?`.
    static func double(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if isDecimalFloat(text) {
            return Double(text.filter { $0 != "_" })
        }
        switch integer(text, as: Int64.self) {
        case .value(let value): return Double(value)
        case .overflow, nil: return nil
        }
    }

    private static func isDecimalFloat(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var mantissaDigits = 0
        while let byte = bytes.first, isDigit(byte) || (byte == UInt8(ascii: "_") && mantissaDigits > 0) {
            if isDigit(byte) { mantissaDigits += 1 }
            bytes = bytes.dropFirst()
        }
        var hasPoint = false
        if bytes.first == UInt8(ascii: ".") {
            hasPoint = true
            bytes = bytes.dropFirst()
            while let byte = bytes.first, isDigit(byte) || byte == UInt8(ascii: "_") {
                if isDigit(byte) { mantissaDigits += 1 }
                bytes = bytes.dropFirst()
            }
        }
        guard mantissaDigits > 0 else { return false }
        var hasExponent = false
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            hasExponent = true
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard let first = bytes.first, isDigit(first) else { return false }
            while let byte = bytes.first, isDigit(byte) { bytes = bytes.dropFirst() }
        }
        return bytes.isEmpty && (hasPoint || hasExponent)
    }
}
