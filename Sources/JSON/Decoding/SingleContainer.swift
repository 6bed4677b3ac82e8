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
        return try ValueDecoder.decode(type, from: value, lenient: lenient, path: codingPath)
    }
}
