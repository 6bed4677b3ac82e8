/// The one JSON writer: appends compact JSON to a byte buffer, value by value, and holds the one
/// string escaper (``appendString(_:to:)``).
///
/// Written field by field it costs a fraction of an `Encoder`, which is why the submission path and
/// the simulator write this way. `field` helpers omit `nil` values.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.beginObject()
/// writer.field("name", "etl")
/// writer.field("instances", 3)
/// writer.endObject()
/// writer.bytes  // {"name":"etl","instances":3}
/// ```
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value or key needs a preceding comma: false right after `{`, `[` or a key.
    private var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// The JSON written so far, as a string.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Opens an object: `{`.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the current object: `}`.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array: `[`.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the current array: `]`.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the value follows without a separator.
    public mutating func key(_ name: String) {
        separate()
        Self.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// A string value, escaped.
    public mutating func string(_ value: String) {
        separate()
        Self.appendString(value, to: &bytes)
    }

    /// An integer value.
    public mutating func int<I: BinaryInteger>(_ value: I) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number value, exactly as the number's text.
    public mutating func number(_ value: JSONNumber) {
        separate()
        bytes.append(contentsOf: value.text.utf8)
    }

    /// A double; `null` when it is not finite.
    public mutating func double(_ number: Double) {
        value(.double(number))
    }

    /// `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A whole value, compact, members in their order (or sorted by key).
    public mutating func value(_ value: JSONValue, sortedKeys: Bool = false) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element, sortedKeys: sortedKeys) }
            endArray()
        case .object(let object):
            beginObject()
            for member in sortedKeys ? object.sortedByKey().members : object.members {
                key(member.key)
                self.value(member.value, sortedKeys: sortedKeys)
            }
            endObject()
        }
    }

    // MARK: Optional fields

    /// `"name":"value"`, or nothing when `value` is nil (as every `field` overload).
    public mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    /// An integer member.
    public mutating func field<I: BinaryInteger>(_ name: String, _ value: I?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    /// A boolean member.
    public mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    /// A member holding any value.
    public mutating func field(_ name: String, _ value: JSONValue?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    /// An array-of-strings member.
    public mutating func field(_ name: String, _ value: [String]?) {
        guard let value else { return }
        key(name)
        beginArray()
        for item in value { string(item) }
        endArray()
    }

    /// A string map; its members are written in the dictionary's order unless `sortedKeys`.
    public mutating func field(_ name: String, _ value: [String: String]?, sortedKeys: Bool = false) {
        guard let value else { return }
        key(name)
        beginObject()
        if sortedKeys {
            for k in value.keys.sorted() {
                key(k)
                string(value[k]!)
            }
        } else {
            for (k, v) in value {
                key(k)
                string(v)
            }
        }
        endObject()
    }

    /// A member whose value `write` produces.
    public mutating func field<T>(_ name: String, _ value: T?, _ write: (inout JSONWriter, T) -> Void) {
        guard let value else { return }
        key(name)
        write(&self, value)
    }

    /// An array member whose elements `write` produces.
    public mutating func field<T>(_ name: String, _ value: [T]?, each write: (inout JSONWriter, T) -> Void) {
        guard let value else { return }
        key(name)
        beginArray()
        for item in value { write(&self, item) }
        endArray()
    }
}
