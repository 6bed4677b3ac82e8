/// The unkeyed container over an array's elements.
struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let lenient: Bool
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], lenient: Bool) {
        self.elements = elements
        self.codingPath = codingPath
        self.lenient = lenient
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private func current<T>(_ type: T.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "array ended"))
        }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        if case .null = try current(Never.self) {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try current(T.self)
        if case .null = value, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "null for \(T.self)"))
        }
        let decoded = try ValueDecoder.decode(type, from: value, lenient: lenient, path: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return decoded
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let value = try current(String.self)
        let text = try ValueDecoder.string(value, lenient: lenient, path: { codingPath + [IndexKey(currentIndex)] })
        currentIndex += 1
        return text
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try ValueDecoder(value: current(NestedKey.self), codingPath: codingPath + [IndexKey(currentIndex)], lenient: lenient).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try ValueDecoder(value: current([JSONValue].self), codingPath: codingPath + [IndexKey(currentIndex)], lenient: lenient).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = ValueDecoder(value: try current(JSONValue.self), codingPath: codingPath + [IndexKey(currentIndex)], lenient: lenient)
        currentIndex += 1
        return decoder
    }
}
