/// The `Decoder` over one value of the tree.
struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: @autoclosure () -> [any CodingKey]) throws -> T {
        if let scalar = try scalar(type, from: value, path: path) { return scalar }
        if T.self == JSONValue.self { return value as! T }
        if case .string(let text) = value, let stringType = T.self as? any JSONStringDecodable.Type {
            guard let decoded = stringType.init(jsonString: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "invalid \(T.self) string"))
            }
            return decoded as! T
        }
        return try T(from: ValueDecoder(value: value, codingPath: path()))
    }

    static func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(T.self, .init(codingPath: path, debugDescription: "expected \(T.self), found \(value.kindDescription)"))
    }

    /// Strings, booleans and numbers; `nil` when `T` is none of those.
    @inline(__always)
    static func scalar<T>(_ type: T.Type, from value: JSONValue, path: () -> [any CodingKey]) throws -> T? {
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch(T.self, value, path()) }
            return (text as! T)
        }
        if T.self == Int.self {
            return (try integer(Int.self, value, path) as! T)
        }
        if T.self == Int64.self {
            return (try integer(Int64.self, value, path) as! T)
        }
        if T.self == Bool.self {
            guard case .bool(let flag) = value else { throw mismatch(T.self, value, path()) }
            return (flag as! T)
        }
        if T.self == Double.self {
            guard case .number(let number) = value else { throw mismatch(T.self, value, path()) }
            return (number.doubleValue as! T)
        }
        // Containers (the common case from here) are not scalars: skip the dynamic casts below.
        switch value {
        case .object, .array: return nil
        default: break
        }
        if T.self == Float.self {
            guard case .number(let number) = value else { throw mismatch(T.self, value, path()) }
            return (Float(number.doubleValue) as! T)
        }
        guard let integerType = T.self as? any FixedWidthInteger.Type else { return nil }
        func convert<I: FixedWidthInteger>(_ type: I.Type) throws -> T { try integer(I.self, value, path) as! T }
        return try convert(integerType)
    }

    /// An integer of type `I`: exact (an integral `2.0` or `2e0` counts) and in range.
    @inline(__always)
    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ path: () -> [any CodingKey]) throws -> I {
        guard case .number(let number) = value else { throw mismatch(I.self, value, path()) }
        if let stored = number.storedInteger, let exact = I(exactly: stored) { return exact }
        if let exact = I(number.text) { return exact }  // e.g. a UInt64 beyond Int64
        if let integral = number.int64Value, let exact = I(exactly: integral) { return exact }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "\(number) does not fit \(I.self)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(value: value, codingPath: codingPath) }
}

/// Lets `JSONValue.init(from:)` take the parsed value as it is.
protocol JSONValueProvidingDecoder {
    var jsonValue: JSONValue { get }
}

extension ValueDecoder: JSONValueProvidingDecoder {
    var jsonValue: JSONValue { value }
}

extension JSONValue {
    /// For decoding error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
