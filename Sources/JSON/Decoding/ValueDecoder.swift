/// The `Decoder` over one value of the tree.
struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    /// Scalars coerced as ``JSONValueDecoder/lenientScalars`` describes.
    let lenient: Bool
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, lenient: Bool, path: @autoclosure () -> [any CodingKey]
    ) throws -> T {
        // Metatype comparisons are cheap; the dynamic casts further down are not, so the shapes the
        // gateway decodes most (the tree itself, scalars, nested objects, string lists and maps) are
        // settled before any of them.
        if T.self == JSONValue.self { return unsafeBitCast(value, to: T.self) }
        if let scalar = try scalar(type, from: value, lenient: lenient, path: path) { return scalar }
        switch value {
        case .object(let object):
            if ObjectIdentifier(T.self) == KnownTypes.stringMap { return unsafeBitCast(try stringMap(object, lenient: lenient, path: path), to: T.self) }
            return try T(from: ValueDecoder(value: value, codingPath: path(), lenient: lenient))
        case .array(let elements):
            if ObjectIdentifier(T.self) == KnownTypes.stringList { return unsafeBitCast(try strings(elements, lenient: lenient, path: path), to: T.self) }
            return try T(from: ValueDecoder(value: value, codingPath: path(), lenient: lenient))
        case .string(let text):
            if let stringType = T.self as? any JSONStringDecodable.Type {
                guard let decoded = stringType.init(jsonString: text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "invalid \(T.self) string"))
                }
                return decoded as! T
            }
        default: break
        }
        return try T(from: ValueDecoder(value: value, codingPath: path(), lenient: lenient))
    }

    static func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(T.self, .init(codingPath: path, debugDescription: "expected \(T.self), found \(value.kindDescription)"))
    }

    /// A string: with `lenient`, a number (its exact text) or a boolean too.
    @inline(__always)
    static func string(_ value: JSONValue, lenient: Bool, path: () -> [any CodingKey]) throws -> String {
        switch value {
        case .string(let text): return text
        case .number(let number) where lenient: return number.text
        case .bool(let flag) where lenient: return flag ? "true" : "false"
        default: throw mismatch(String.self, value, path())
        }
    }

    static func strings(_ elements: [JSONValue], lenient: Bool, path: () -> [any CodingKey]) throws -> [String] {
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            if case .null = element {
                throw DecodingError.valueNotFound(String.self, .init(codingPath: path() + [IndexKey(index)], debugDescription: "null for String"))
            }
            out.append(try string(element, lenient: lenient, path: { path() + [IndexKey(index)] }))
        }
        return out
    }

    static func stringMap(_ object: JSONObject, lenient: Bool, path: () -> [any CodingKey]) throws -> [String: String] {
        var out: [String: String] = [:]
        out.reserveCapacity(object.count)
        for member in object.members {
            if case .null = member.value {
                throw DecodingError.valueNotFound(String.self, .init(codingPath: path() + [MemberKey(member.key)], debugDescription: "null for String"))
            }
            out[member.key] = try string(member.value, lenient: lenient, path: { path() + [MemberKey(member.key)] })
        }
        return out
    }

    /// Strings, booleans and numbers; `nil` when `T` is none of those.
    @inline(__always)
    static func scalar<T>(_ type: T.Type, from value: JSONValue, lenient: Bool, path: () -> [any CodingKey]) throws -> T? {
        // `unsafeBitCast` after an exact metatype check: `as! T` would go through the runtime's
        // dynamic cast in generic code, on every field.
        if T.self == String.self {
            return unsafeBitCast(try string(value, lenient: lenient, path: path), to: T.self)
        }
        if T.self == Int.self {
            return unsafeBitCast(try integer(Int.self, value, lenient: lenient, path), to: T.self)
        }
        if T.self == Int64.self {
            return unsafeBitCast(try integer(Int64.self, value, lenient: lenient, path), to: T.self)
        }
        if T.self == Bool.self {
            switch value {
            case .bool(let flag): return unsafeBitCast(flag, to: T.self)
            case .string(let text) where lenient:
                if let flag = Self.bool(text) { return unsafeBitCast(flag, to: T.self) }
            default: break
            }
            throw mismatch(T.self, value, path())
        }
        if T.self == Double.self {
            return unsafeBitCast(try double(value, lenient: lenient, path), to: T.self)
        }
        // Containers (the common case from here) are not scalars: skip the dynamic casts below.
        switch value {
        case .object, .array: return nil
        default: break
        }
        if T.self == Float.self {
            return (Float(try double(value, lenient: lenient, path)) as! T)
        }
        guard let integerType = T.self as? any FixedWidthInteger.Type else { return nil }
        func convert<I: FixedWidthInteger>(_ type: I.Type) throws -> T { try integer(I.self, value, lenient: lenient, path) as! T }
        return try convert(integerType)
    }

    /// `true` or `false` in any case, as Jackson reads a boolean written as a string.
    static func bool(_ text: String) -> Bool? {
        switch text.utf8.count {
        case 4: if text.lowercased() == "true" { return true }
        case 5: if text.lowercased() == "false" { return false }
        default: break
        }
        return nil
    }

    @inline(__always)
    static func double(_ value: JSONValue, lenient: Bool, _ path: () -> [any CodingKey]) throws -> Double {
        switch value {
        case .number(let number): return number.doubleValue
        case .string(let text) where lenient:
            if JSONNumber(text: text) != nil, let double = Double(text) { return double }
        default: break
        }
        throw mismatch(Double.self, value, path())
    }

    /// An integer of type `I`: exact (an integral `2.0` or `2e0` counts) and in range. With `lenient`,
    /// a fraction is truncated (within ±10^15, where a `Double` still holds every integer) and a
    /// string holding an integer counts, as Jackson reads integer fields.
    @inline(__always)
    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, lenient: Bool, _ path: () -> [any CodingKey]) throws -> I {
        let number: JSONNumber
        switch value {
        case .number(let n): number = n
        case .string(let text) where lenient:
            guard let n = JSONNumber(text: text) else { throw mismatch(I.self, value, path()) }
            number = n
        default: throw mismatch(I.self, value, path())
        }
        if let stored = number.storedInteger, let exact = I(exactly: stored) { return exact }
        if let exact = I(number.text) { return exact }  // e.g. a UInt64 beyond Int64
        if let integral = number.int64Value, let exact = I(exactly: integral) { return exact }
        if lenient {
            let double = number.doubleValue
            if double.isFinite, abs(double) < 1e15, let truncated = I(exactly: double.rounded(.towardZero)) { return truncated }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "\(number) does not fit \(I.self)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath, lenient: lenient))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, lenient: lenient)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath, lenient: lenient)
    }
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
