/// Decodes `Decodable` types from JSON bytes or from a parsed ``JSONValue``.
///
/// Behaves like Foundation's `JSONDecoder` with its default strategies: integers must be exact and
/// fit the target type, `null` reads as absent for optionals, unknown members are ignored. It is the
/// hot path for watch streams and submissions, so the common scalar fields take direct paths and the
/// coding path is only built for nested containers and errors.
///
/// ```swift
/// let pod = try JSONValueDecoder().decode(Pod.self, from: body)
/// ```
public struct JSONValueDecoder: Sendable {
    /// The nesting limit for parsing.
    public var maximumDepth: Int

    /// A decoder whose parser allows `maximumDepth` levels of nesting.
    public init(maximumDepth: Int = JSONParser.defaultMaximumDepth) {
        self.maximumDepth = maximumDepth
    }

    /// Decodes one JSON text. Malformed JSON throws `DecodingError.dataCorrupted` whose underlying
    /// error is the ``JSONParseError``.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try decode(type, from: value)
    }

    /// Decodes from an already parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder.decode(type, from: value, path: [])
    }
}
