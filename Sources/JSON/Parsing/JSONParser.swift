/// The one JSON parser: bytes in, ``JSONValue`` out (or, for the decoder, a ``JSONTape``).
///
/// Strict RFC 8259: no trailing commas, comments, leading zeros, single quotes, unescaped control
/// characters or lone surrogates; strings must be valid UTF-8 (no overlong forms, no encoded
/// surrogates). Nesting is limited (512 levels by default) so hostile input gets an error instead of
/// overflowing the stack. A key repeated in one object keeps its first position and takes its last
/// value ("last wins", as Jackson and Foundation's `JSONDecoder` behave).
///
/// The parser validates the whole text into a flat tape (one entry per value and key, strings and
/// numbers as byte ranges) in one pass; a ``JSONValue`` is built from the tape, and
/// ``JSONValueDecoder`` decodes from the tape directly, so both read one grammar.
///
/// ```swift
/// let value = try JSONParser.parse(Array(body))
/// ```
public struct JSONParser {
    /// The nesting limit used unless another is given.
    public static let defaultMaximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private let maximumDepth: Int
    private var index = 0
    private var tape: [JSONTape.Entry] = []

    /// Parses one JSON text (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int = defaultMaximumDepth) throws(JSONParseError) -> JSONValue {
        let tape = try scan(bytes, maximumDepth: maximumDepth)
        return tape.withUnsafeBufferPointer { entries in
            var index = 0
            return JSONTape.value(at: &index, entries, bytes)
        }
    }

    /// Parses one JSON text from any contiguous bytes (`[UInt8]`, `Data`, a slice).
    public static func parse(_ bytes: some Collection<UInt8>, maximumDepth: Int = defaultMaximumDepth) throws(JSONParseError) -> JSONValue {
        var failure: JSONParseError?
        let parsed = bytes.withContiguousStorageIfAvailable { buffer -> JSONValue? in
            do throws(JSONParseError) {
                return try parse(UnsafeRawBufferPointer(buffer), maximumDepth: maximumDepth)
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        if let parsed, let parsed { return parsed }
        let copy = Array(bytes)
        let result = copy.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, maximumDepth: maximumDepth) }
        }
        return try result.get()
    }

    /// Validates one JSON text into its tape (entries index into `bytes`).
    static func scan(_ bytes: UnsafeRawBufferPointer, maximumDepth: Int) throws(JSONParseError) -> [JSONTape.Entry] {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        // About one entry per 8 bytes in Kubernetes objects and requests; the tape grows if not.
        parser.tape.reserveCapacity(bytes.count / 8 + 4)
        parser.skipWhitespace()
        try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the value") }
        return parser.tape
    }

    private init(bytes: UnsafeRawBufferPointer, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func failure(_ reason: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, reason: reason)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    @inline(__always)
    private mutating func append(_ kind: JSONTape.Kind, start: Int, end: Int = 0) {
        tape.append(JSONTape.Entry(kind: kind, count: 0, start: start, end: end))
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"):
            try expect("true")
            append(.true, start: start)
        case UInt8(ascii: "f"):
            try expect("false")
            append(.false, start: start)
        case UInt8(ascii: "n"):
            try expect("null")
            append(.null, start: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func expect(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw failure("invalid literal") }
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { throw failure("invalid literal") }
        index += count
    }

    /// The key of the member whose key entry is at `entry`, for an error's path.
    private func key(at entry: Int) -> String {
        JSONTape.string(tape[entry], bytes)
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) {
        guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth)") }
        let open = tape.count
        append(.object, start: index)
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            tape[open].end = tape.count
            return
        }
        var count: Int32 = 0
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let keyEntry = tape.count
            try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':'").inside("." + key(at: keyEntry)) }
            index += 1
            skipWhitespace()
            do { try parseValue(depth: depth) } catch { throw error.inside("." + key(at: keyEntry)) }
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
            index += 1
            tape[open].end = tape.count
            tape[open].count = count
            return
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) {
        guard depth <= maximumDepth else { throw failure("nesting deeper than \(maximumDepth)") }
        let open = tape.count
        append(.array, start: index)
        index += 1
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            tape[open].end = tape.count
            return
        }
        var count: Int32 = 0
        while true {
            skipWhitespace()
            do { try parseValue(depth: depth) } catch { throw error.inside("[\(count)]") }
            count += 1
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
            index += 1
            tape[open].end = tape.count
            tape[open].count = count
            return
        }
    }

    /// Validates a string and records it: a byte range, marked when it holds escapes.
    private mutating func parseString() throws(JSONParseError) {
        let opening = index
        index += 1
        let start = index
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                append(escaped ? .escapedString : .string, start: start, end: index)
                index += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
                guard index < bytes.count else { throw failure("unterminated string", at: opening) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"): try checkUnicodeEscape()
                default: throw failure("invalid escape", at: index - 2)
                }
                continue
            }
            if byte < 0x20 { throw failure("control character in string") }
            if byte < 0x80 {
                index += 1
            } else {
                index += try utf8SequenceLength()
            }
        }
        throw failure("unterminated string", at: opening)
    }

    /// `\uXXXX` (the `\u` already read), with a following low surrogate when this is a high one.
    private mutating func checkUnicodeEscape() throws(JSONParseError) {
        let escapeStart = index - 2
        let scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("unpaired surrogate", at: escapeStart)
            }
            index += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate", at: escapeStart) }
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw failure("unpaired surrogate", at: escapeStart)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// The length of the well-formed multi-byte UTF-8 sequence at `index` (Unicode's table of
    /// well-formed sequences: no overlong forms, no surrogates, nothing above U+10FFFF).
    private func utf8SequenceLength() throws(JSONParseError) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw failure("invalid UTF-8")
        }
        guard index + length <= bytes.count else { throw failure("invalid UTF-8") }
        let second = bytes[index + 1]
        guard second >= low && second <= high else { throw failure("invalid UTF-8") }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { throw failure("invalid UTF-8") }
        return length
    }

    private mutating func parseNumber() throws(JSONParseError) {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        // Fast path: a plain integer that fits Int64, accumulated while scanning.
        var integer: Int64 = 0
        var overflow = false
        let digitsStart = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let digit = Int64(bytes[index] &- 0x30)
            let (times, o1) = integer.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            overflow = overflow || o1 || o2
            integer = sum
            index += 1
        }
        let digitCount = index - digitsStart
        let plain = index >= bytes.count || (bytes[index] != UInt8(ascii: ".") && bytes[index] != UInt8(ascii: "e") && bytes[index] != UInt8(ascii: "E"))
        if plain, digitCount > 0, !overflow, !(digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0")), !(negative && integer == 0) {
            append(.integer, start: start, end: Int(integer))
            return
        }
        guard let end = JSONNumber.scanNumber(bytes, from: start) else { throw failure("invalid number", at: start) }
        index = end
        append(.number, start: start, end: end)
    }
}

extension JSONValue {
    /// Parses one JSON text; see ``JSONParser``.
    public init(parsing bytes: some Collection<UInt8>, maximumDepth: Int = JSONParser.defaultMaximumDepth) throws(JSONParseError) {
        self = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
    }

    /// Parses one JSON text from a string.
    public init(parsing text: String, maximumDepth: Int = JSONParser.defaultMaximumDepth) throws(JSONParseError) {
        self = try JSONParser.parse(Array(text.utf8), maximumDepth: maximumDepth)
    }
}
