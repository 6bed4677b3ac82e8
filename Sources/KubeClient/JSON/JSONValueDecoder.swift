import Foundation

/// Decodes `Decodable` types from JSON bytes through `JSONParser` and a decoder over the parsed
/// `JSONValue` tree. Behaves like `JSONDecoder` with default strategies (base64 `Data`, exact
/// integers, `null` as absent for optionals), several times faster on Linux. KubeClient decodes every
/// response and watch line with it; callers may use it for their own Kubernetes JSON.
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// Decodes one JSON document (RFC 8259, nesting up to 512 levels).
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description, underlyingError: error))
        }
        return try TreeDecoder.decode(type, from: value, path: [])
    }
}

/// The `Decoder` over one node of the tree.
private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// `path` is built only when needed (nested containers and errors): building it for every
    /// scalar field would cost an array allocation per field.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> T {
        if let scalar = try scalar(type, from: value, path: path) { return scalar }
        if T.self == JSONValue.self, let value = value as? T { return value }
        if T.self == Data.self {
            guard case .string(let text) = value, let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "expected base64 data"))
            }
            if let data = data as? T { return data }
        }
        return try T(from: TreeDecoder(value: value, codingPath: path()))
    }

    /// Strings, booleans and numbers; `nil` when `T` is none of those.
    static func scalar<T>(_ type: T.Type, from value: JSONValue, path: () -> [any CodingKey]) throws -> T? {
        func mismatch() -> DecodingError {
            DecodingError.typeMismatch(T.self, .init(codingPath: path(), debugDescription: "expected \(T.self), found \(value.kindName)"))
        }
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch() }
            return text as? T
        }
        if T.self == Int.self || T.self == Int64.self || T.self == Bool.self {
            switch value {
            case .integer(let number) where T.self == Int64.self: return number as? T
            case .integer(let number) where T.self == Int.self: return Int(number) as? T
            case .bool(let flag) where T.self == Bool.self: return flag as? T
            case .double(let number) where T.self != Bool.self && number.rounded() == number && abs(number) < 9.2e18:
                return (T.self == Int.self ? Int(number) as? T : Int64(number) as? T)
            default: throw mismatch()
            }
        }
        if T.self == Double.self || T.self == Float.self {
            let double: Double
            switch value {
            case .double(let number): double = number
            case .integer(let number): double = Double(number)
            default: throw mismatch()
            }
            return (T.self == Double.self ? double as? T : Float(double) as? T)
        }
        // Containers (the common case from here) are not scalars: skip the dynamic cast below.
        switch value {
        case .object, .array: return nil
        default: break
        }
        guard let integerType = T.self as? any FixedWidthInteger.Type else { return nil }
        let integer: Int64
        switch value {
        case .integer(let number): integer = number
        case .double(let number) where number.rounded() == number && abs(number) < 9.2e18: integer = Int64(number)
        default: throw mismatch()
        }
        func convert<I: FixedWidthInteger>(_ type: I.Type) -> I? { I(exactly: integer) }
        guard let converted = convert(integerType) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "\(integer) does not fit \(T.self)"))
        }
        return converted as? T
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an object, found \(value.kindName)"))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw DecodingError.typeMismatch([JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array, found \(value.kindName)"))
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(value: value, codingPath: codingPath) }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try member(key)
        if T.self == String.self, case .string(let text) = value, let text = text as? T { return text }
        if case .null = value, !(T.self == JSONValue.self) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null for \(T.self)"))
        }
        return try TreeDecoder.decode(type, from: value, path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try TreeDecoder.decode(type, from: value, path: codingPath + [key])
    }

    // The common scalar fields take a direct path: one lookup, no generic casts. (The protocol's
    // default `decodeIfPresent` would look the key up three times.)
    private func mismatch<T>(_ type: T.Type, _ key: Key, _ value: JSONValue) -> DecodingError {
        DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "expected \(T.self), found \(value.kindName)"))
    }

    private func string(_ value: JSONValue, _ key: Key) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, key, value) }
        return text
    }

    private func bool(_ value: JSONValue, _ key: Key) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, key, value) }
        return flag
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(member(key), key) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try bool(member(key), key) }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try string(value, key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = members[key.stringValue] else { return nil }
        if case .null = value { return nil }
        return try bool(value, key)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type as Int.Type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type as Int64.Type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(type as Double.Type, key) }

    private func decodeIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        try decodeIfPresent(type, forKey: key) as T?
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key) as T
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { TreeDecoder(value: .object(members), codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey]) {
        self.elements = elements
        self.codingPath = codingPath
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
        if case .null = value, !(T.self == JSONValue.self) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "null for \(T.self)"))
        }
        let decoded = try TreeDecoder.decode(type, from: value, path: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return decoded
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try TreeDecoder(value: current(NestedKey.self), codingPath: codingPath + [IndexKey(currentIndex)]).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try TreeDecoder(value: current([JSONValue].self), codingPath: codingPath + [IndexKey(currentIndex)]).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = TreeDecoder(value: try current(JSONValue.self), codingPath: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return decoder
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .null = value, !(T.self == JSONValue.self) {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "null for \(T.self)"))
        }
        return try TreeDecoder.decode(type, from: value, path: codingPath)
    }
}

extension JSONValue {
    /// For decoding error messages: what kind of value was found.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Lets `JSONValue.init(from:)` take the parsed node as is when decoded by `JSONValueDecoder`.
protocol JSONTreeNodeDecoder {
    var node: JSONValue { get }
}

extension TreeDecoder: JSONTreeNodeDecoder {
    var node: JSONValue { value }
}
