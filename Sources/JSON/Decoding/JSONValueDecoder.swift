/// Decodes `Decodable` types from JSON bytes or from a parsed ``JSONValue``.
///
/// By default it behaves like Foundation's `JSONDecoder` with its default strategies: integers must
/// be exact and fit the target type, `null` reads as absent for optionals, unknown members are
/// ignored. It is the hot path for watch streams and submissions, so the common shapes (scalars,
/// nested objects, string lists and string maps) take direct paths and the coding path is only built
/// for nested containers and errors.
///
/// With ``lenientScalars`` it reads scalars the way Jackson does by default, which BPG's clients rely
/// on: a `String` accepts a number (its exact text, `12.50` stays `12.50`) or a boolean; a `Bool`
/// accepts `"true"`/`"false"` in any case; numbers accept their text in a string; an integer accepts
/// a fraction, truncated (`1.9` → `1`). Every failure still names its coding path.
///
/// ```swift
/// let pod = try JSONValueDecoder().decode(Pod.self, from: body)
/// let request = try JSONValueDecoder(lenientScalars: true).decode(SubmitApplicationRequest.self, from: body)
/// ```
public struct JSONValueDecoder: Sendable {
    /// The nesting limit for parsing.
    public var maximumDepth: Int
    /// Coerce scalars as Jackson does (see the type's description); off by default.
    public var lenientScalars: Bool

    /// A decoder whose parser allows `maximumDepth` levels of nesting.
    public init(maximumDepth: Int = JSONParser.defaultMaximumDepth, lenientScalars: Bool = false) {
        self.maximumDepth = maximumDepth
        self.lenientScalars = lenientScalars
    }

    /// Decodes one JSON text. Malformed JSON throws `DecodingError.dataCorrupted` whose underlying
    /// error is the ``JSONParseError``.
    ///
    /// The text is validated whole first (a malformed member the type ignores is still an error),
    /// then `T` is decoded from the parser's tape and the bytes: no ``JSONValue`` tree is built, a
    /// member is found by comparing key bytes, a string is made only for a field that asks for it.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        let document: JSONDocument
        do {
            document = try JSONDocument(copying: bytes, maximumDepth: maximumDepth, lenient: lenientScalars)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try DocumentDecoder.decode(type, document, at: 0, path: nil)
    }

    /// Decodes from an already parsed value.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try ValueDecoder.decode(type, from: value, lenient: lenientScalars, path: [])
    }

    /// The member names of the object `decoder` decodes, in order, when `decoder` is this module's
    /// (`nil` for another decoder, or a value that is not an object). For a type that rejects unknown
    /// members: a scan of the names costs far less than `allKeys` through the `Decoder` API.
    public static func memberNames(of decoder: any Decoder) -> [String]? {
        if let decoder = decoder as? DocumentDecoder {
            return decoder.document[decoder.index].kind == .object ? decoder.document.memberNames(of: decoder.index) : nil
        }
        guard let decoder = decoder as? ValueDecoder, case .object(let object) = decoder.value else { return nil }
        return object.keys
    }
}
