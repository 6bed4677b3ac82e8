/// The single-value container over one value.
struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let lenient: Bool

    func decodeNil() -> Bool { value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .null = value, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "null for \(T.self)"))
        }
        // A primitive's `init(from:)` comes back here: over a container it must fail, not recurse.
        switch value {
        case .object, .array:
            if T.self == Float.self || T.self is any FixedWidthInteger.Type { throw ValueDecoder.mismatch(T.self, value, codingPath) }
        default: break
        }
        return try ValueDecoder.decode(type, from: value, lenient: lenient, path: codingPath)
    }
}
