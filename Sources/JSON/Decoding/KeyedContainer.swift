/// The keyed container over an object's members.
struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let codingPath: [any CodingKey]
    /// For large objects only (a label map read as a struct is rare): positions by key, since a
    /// scan per field would be quadratic.
    let positions: [String: Int]?
    let lenient: Bool

    init(object: JSONObject, codingPath: [any CodingKey], lenient: Bool) {
        self.object = object
        self.codingPath = codingPath
        self.lenient = lenient
        if object.count > 32 {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(object.count)
            for (index, member) in object.members.enumerated() { positions[member.key] = index }
            self.positions = positions
        } else {
            positions = nil
        }
    }

    @inline(__always)
    private func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        if let positions { return positions[name].map { object.members[$0].value } }
        // Compare keys in place: iterating `members` would copy (retain and release) every member's
        // value for every field asked, and a model asks for all of its fields.
        let index = object.members.withUnsafeBufferPointer { members -> Int? in
            for i in members.indices where members[i].key == name { return i }
            return nil
        }
        return index.map { object.members[$0].value }
    }

    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }
    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = lookup(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let value = try member(key)
        if case .null = value, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null for \(T.self)"))
        }
        return try ValueDecoder.decode(type, from: value, lenient: lenient, path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = lookup(key) else { return nil }
        if case .null = value { return nil }
        return try ValueDecoder.decode(type, from: value, lenient: lenient, path: codingPath + [key])
    }

    // The common scalar fields take a direct path: one lookup, no generic dispatch. (The protocol's
    // default `decodeIfPresent` would look the key up three times.)
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try ValueDecoder.string(member(key), lenient: lenient, path: { codingPath + [key] })
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try scalar(type, key)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let value = lookup(key) else { return nil }
        if case .null = value { return nil }
        return try ValueDecoder.string(value, lenient: lenient, path: { codingPath + [key] })
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let value = lookup(key) else { return nil }
        if case .null = value { return nil }
        if case .bool(let flag) = value { return flag }
        return try ValueDecoder.scalar(type, from: value, lenient: lenient, path: { codingPath + [key] })
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try scalarIfPresent(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try scalarIfPresent(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalarIfPresent(type, key) }

    private func scalarIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let value = lookup(key) else { return nil }
        if case .null = value { return nil }
        return try ValueDecoder.scalar(type, from: value, lenient: lenient, path: { codingPath + [key] })
    }

    private func scalar<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let value = try member(key)
        if case .null = value {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [key], debugDescription: "null for \(T.self)"))
        }
        // `nil` only for a container where a primitive is declared.
        guard let scalar = try ValueDecoder.scalar(type, from: value, lenient: lenient, path: { codingPath + [key] }) else {
            throw ValueDecoder.mismatch(T.self, value, codingPath + [key])
        }
        return scalar
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], lenient: lenient).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: member(key), codingPath: codingPath + [key], lenient: lenient).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { ValueDecoder(value: .object(object), codingPath: codingPath, lenient: lenient) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: lookup(key) ?? .null, codingPath: codingPath + [key], lenient: lenient)
    }
}
