/// The keyed container over an object of a ``JSONDocument``: members are found by comparing key
/// bytes in place with the `CodingKey`'s UTF-8 (a length check settles most), never by making a
/// `String` per member.
struct DocumentKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: JSONDocument
    /// The tape index of the object.
    let object: Int
    let path: CodingPathNode?
    // Three fields on purpose: the standard library's container box copies the container for
    // every field it is asked (a retain and release per reference field).

    var codingPath: [any CodingKey] { CodingPathNode.keys(path) }

    @inline(__always)
    private func lookup(_ key: Key) -> Int? {
        document.member(key.stringValue, of: object)
    }

    private func childPath(_ key: Key) -> CodingPathNode { CodingPathNode(parent: path, key: key) }
    private func keys(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    var allKeys: [Key] { document.memberNames(of: object).compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    private func member(_ key: Key) throws -> Int {
        guard let index = lookup(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \"\(key.stringValue)\""))
        }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool { document[try member(key)].kind == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let index = try member(key)
        if document[index].kind == .null, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: keys(key), debugDescription: "null for \(T.self)"))
        }
        return try DocumentDecoder.decode(type, document, at: index, path: childPath(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = lookup(key), document[index].kind != .null else { return nil }
        return try DocumentDecoder.decode(type, document, at: index, path: childPath(key))
    }

    // The common scalar fields take a direct path: one lookup, no generic dispatch. (The protocol's
    // default `decodeIfPresent` would look the key up three times.)
    @inline(__always)
    private func string(at index: Int, _ key: Key) throws -> String {
        if document[index].kind == .string { return document.string(at: index) }
        return try ValueDecoder.string(document.scalarValue(at: index), lenient: document.lenient, path: { keys(key) })
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try string(at: member(key), key) }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = lookup(key), document[index].kind != .null else { return nil }
        return try string(at: index, key)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = lookup(key) else { return nil }
        switch document[index].kind {
        case .null: return nil
        case .true: return true
        case .false: return false
        default: return try ValueDecoder.scalar(type, from: document.scalarValue(at: index), lenient: document.lenient, path: { keys(key) })
        }
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let index = lookup(key) else { return nil }
        let entry = document[index]
        if entry.kind == .integer { return entry.end }
        if entry.kind == .null { return nil }
        return try ValueDecoder.scalar(type, from: document.scalarValue(at: index), lenient: document.lenient, path: { keys(key) })
    }

    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try scalarIfPresent(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try scalarIfPresent(type, key) }

    private func scalarIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let index = lookup(key), document[index].kind != .null else { return nil }
        return try ValueDecoder.scalar(type, from: document.scalarValue(at: index), lenient: document.lenient, path: { keys(key) })
    }

    private func scalar<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let index = try member(key)
        if document[index].kind == .null {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: keys(key), debugDescription: "null for \(T.self)"))
        }
        // `nil` only for a container where a primitive is declared.
        guard let scalar = try ValueDecoder.scalar(type, from: document.scalarValue(at: index), lenient: document.lenient, path: { keys(key) }) else {
            throw DocumentDecoder.mismatch(T.self, document, index, path: path, key)
        }
        return scalar
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        let index = try member(key)
        let entry = document[index]
        if entry.kind == .integer { return entry.end }
        return try scalar(type, key)
    }
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
        try DocumentDecoder(document: document, index: member(key), path: childPath(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try DocumentDecoder(document: document, index: member(key), path: childPath(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { DocumentDecoder(document: document, index: object, path: path) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let index = lookup(key) else { return ValueDecoder(value: .null, codingPath: keys(key), lenient: document.lenient) }
        return DocumentDecoder(document: document, index: index, path: childPath(key))
    }
}
