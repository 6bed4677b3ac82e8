/// Encodes `Encodable` values as JSON, through the module's one writer and string escaper.
///
/// Members come out in the order the value encodes them (for synthesized conformances: declaration
/// order), unless the format sorts keys; `nil` optionals are left out (`encodeIfPresent`), as with
/// Foundation's `JSONEncoder`. Numbers are exact: integers as integers (`UInt64` beyond `Int64`
/// included), a ``JSONValue``'s numbers as they were read, doubles in their shortest round-tripping
/// form (`3.0` as `3`, like `JSONEncoder`); a NaN or infinity throws. `/` is not escaped. A `Date`
/// encodes as `Date` itself does (seconds since 2001, `JSONEncoder`'s default); a type whose JSON is a
/// string it formats itself (Foundation's `Data` as base64) conforms to ``JSONStringEncodable``.
/// `String` maps are written sorted by key, so the output does not depend on hashing.
///
/// ```swift
/// let body: [UInt8] = try JSONValueEncoder().encode(SubmitApplicationResponse(submissionId: id))
/// ```
public struct JSONValueEncoder: Sendable {
    /// Compact or pretty, members in order or sorted.
    public var format: JSONFormat

    public init(format: JSONFormat = .compact) {
        self.format = format
    }

    /// The JSON text of `value`, as UTF-8.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let tree = try encodeValue(value)
        if !format.prettyPrinted && !format.sortedKeys {
            var writer = JSONWriter(capacity: 512)
            writer.value(tree)
            return writer.bytes
        }
        return tree.jsonBytes(format)
    }

    /// `value` as a ``JSONValue`` tree, members in encoding order.
    public func encodeValue<T: Encodable>(_ value: T) throws -> JSONValue {
        try ValueEncoder.encode(value, path: [])
    }
}

/// A type whose JSON form is a string it makes itself, such as Foundation's `Data` as base64 (this
/// module has no Foundation; a module that does adds `extension Data: JSONStringEncodable`).
public protocol JSONStringEncodable {
    /// The string this value is written as.
    var jsonString: String { get }
}
