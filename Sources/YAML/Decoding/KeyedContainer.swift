/// A keyed container over a mapping; keys are looked up by their text.
struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: YAMLMapping
    let codingPath: [any CodingKey]
    let state: DecodingState

    var allKeys: [Key] {
        state.noteAllKeys(in: mapping, path: codingPath)
        return mapping.entries.compactMap { Key(stringValue: $0.key.keyText) }
    }

    func contains(_ key: Key) -> Bool {
        state.noteKey(key.stringValue, in: mapping, path: codingPath)
        return mapping.entry(forKey: key.stringValue) != nil
    }

    private func value(for key: Key) throws -> YAMLNode {
        state.noteKey(key.stringValue, in: mapping, path: codingPath)
        guard let entry = mapping.entry(forKey: key.stringValue) else {
            throw state.keyNotFound(key, in: mapping, path: codingPath)
        }
        return entry.value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try value(for: key).isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeValue(type, forKey: key)
    }

    private func decodeValue<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try state.decode(type, from: value(for: key), path: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        state.noteKey(key.stringValue, in: mapping, path: codingPath)
        guard let entry = mapping.entry(forKey: key.stringValue), !entry.value.isNull else { return nil }
        return try state.decode(type, from: entry.value, path: codingPath + [key])
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decodeValue(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decodeValue(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decodeValue(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decodeValue(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decodeValue(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decodeValue(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decodeValue(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decodeValue(type, forKey: key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try NodeDecoder(node: value(for: key), codingPath: codingPath + [key], state: state).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoder(node: value(for: key), codingPath: codingPath + [key], state: state).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let node = mapping["super"] ?? .null(mapping.mark)
        return NodeDecoder(node: node, codingPath: codingPath + [SuperKey()], state: state)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        state.noteKey(key.stringValue, in: mapping, path: codingPath)
        let node = mapping[key.stringValue] ?? .null(mapping.mark)
        return NodeDecoder(node: node, codingPath: codingPath + [key], state: state)
    }
}
