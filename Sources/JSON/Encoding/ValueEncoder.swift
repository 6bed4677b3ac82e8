/// The `Encoder` behind ``JSONValueEncoder``: it builds a ``JSONValue`` tree. A nested value is
/// encoded by a fresh encoder and finished before its parent continues, so only containers handed
/// out with `nestedContainer`/`superEncoder` (written to later) stay open until the end.
///
/// Keys are not checked for repeats on the fast path (synthesized conformances never repeat one, and
/// a check would cost a hash per member); an object with an open container goes through
/// `JSONObject.init(_:)`, where the last value of a repeated key wins.
final class ValueEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// What has been encoded: nothing yet, a finished value, or an open container.
    var slot: Slot = .empty

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    /// One encoded value: finished, or a container still being written to.
    enum Slot {
        case empty
        case value(JSONValue)
        case object(ObjectNode)
        case array(ArrayNode)
        case encoder(ValueEncoder)

        func finish() -> JSONValue {
            switch self {
            case .empty: return .object(JSONObject())
            case .value(let value): return value
            case .object(let node): return .object(JSONObject(node.members.map { (key: $0.key, value: $0.value.finish()) }))
            case .array(let node): return .array(node.elements.map { $0.finish() })
            case .encoder(let encoder): return encoder.slot.finish()
            }
        }
    }

    final class ObjectNode {
        var members: [(key: String, value: Slot)] = []
        /// Set while every member is a finished value, so `finish` can take the members as they are.
        var closed = true
    }

    final class ArrayNode {
        var elements: [Slot] = []
    }

    /// The JSON of one value. Scalars, string lists and string maps skip the `Encodable` machinery.
    static func encode<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        if let direct = try direct(value, path: path) { return direct }
        let encoder = ValueEncoder(codingPath: path())
        try value.encode(to: encoder)
        return encoder.finish()
    }

    func finish() -> JSONValue {
        if case .object(let node) = slot, node.closed {
            var members: [JSONObject.Element] = []
            members.reserveCapacity(node.members.count)
            for member in node.members {
                if case .value(let value) = member.value { members.append((key: member.key, value: value)) }
            }
            return .object(JSONObject(uniqueMembers: members))
        }
        return slot.finish()
    }

    @inline(__always)
    static func direct<T: Encodable>(_ value: T, path: () -> [any CodingKey]) throws -> JSONValue? {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .int(value as! Int) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Int64.self { return .int(value as! Int64) }
        if T.self == Double.self { return try double(value as! Double, path) }
        if T.self == JSONValue.self { return (value as! JSONValue) }
        if T.self == [String].self { return .array((value as! [String]).map { .string($0) }) }
        if T.self == [String: String].self {
            let map = value as! [String: String]
            var members: [JSONObject.Element] = []
            members.reserveCapacity(map.count)
            for (key, item) in map { members.append((key: key, value: .string(item))) }
            members.sort { $0.key < $1.key }
            return .object(JSONObject(uniqueMembers: members))
        }
        if T.self == Float.self {
            let float = value as! Float
            guard float.isFinite, let double = Double("\(float)") else { throw invalid(float, path) }
            return try Self.double(double, path)
        }
        if let integer = value as? any BinaryInteger { return .number(JSONNumber(integer)) }
        if let stringForm = value as? any JSONStringEncodable { return .string(stringForm.jsonString) }
        return nil
    }

    static func double(_ value: Double, _ path: () -> [any CodingKey]) throws -> JSONValue {
        guard let number = JSONNumber(value) else { throw invalid(value, path) }
        return .number(number)
    }

    static func invalid(_ value: Any, _ path: () -> [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: path(), debugDescription: "\(value) is not a JSON number"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let node: ObjectNode
        if case .object(let existing) = slot {
            node = existing
        } else {
            node = ObjectNode()
            slot = .object(node)
        }
        return KeyedEncodingContainer(KeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let node: ArrayNode
        if case .array(let existing) = slot {
            node = existing
        } else {
            node = ArrayNode()
            slot = .array(node)
        }
        return UnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoding(encoder: self) }
}

struct KeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: ValueEncoder.ObjectNode
    let codingPath: [any CodingKey]

    @inline(__always)
    private func put(_ key: Key, _ value: JSONValue) {
        node.members.append((key: key.stringValue, value: .value(value)))
    }

    func encodeNil(forKey key: Key) throws { put(key, .null) }
    func encode(_ value: Bool, forKey key: Key) throws { put(key, .bool(value)) }
    func encode(_ value: String, forKey key: Key) throws { put(key, .string(value)) }
    func encode(_ value: Int, forKey key: Key) throws { put(key, .int(value)) }
    func encode(_ value: Int64, forKey key: Key) throws { put(key, .int(value)) }
    func encode(_ value: Double, forKey key: Key) throws { put(key, try ValueEncoder.double(value, { codingPath + [key] })) }

    func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(key, try ValueEncoder.encode(value, path: codingPath + [key]))
    }

    // The protocol's default `encodeIfPresent` for these goes through the generic path.
    func encodeIfPresent(_ value: String?, forKey key: Key) throws { if let value { put(key, .string(value)) } }
    func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { if let value { put(key, .bool(value)) } }
    func encodeIfPresent(_ value: Int?, forKey key: Key) throws { if let value { put(key, .int(value)) } }
    func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { if let value { put(key, .int(value)) } }
    func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { if let value { try encode(value, forKey: key) } }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueEncoder(codingPath: codingPath + [key])
        node.members.append((key: key.stringValue, value: .encoder(child)))
        node.closed = false
        return child.container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = ValueEncoder(codingPath: codingPath + [key])
        node.members.append((key: key.stringValue, value: .encoder(child)))
        node.closed = false
        return child.unkeyedContainer()
    }

    func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    func superEncoder(forKey key: Key) -> any Encoder {
        let child = ValueEncoder(codingPath: codingPath + [key])
        node.members.append((key: key.stringValue, value: .encoder(child)))
        node.closed = false
        return child
    }
}

struct UnkeyedEncoding: UnkeyedEncodingContainer {
    let node: ValueEncoder.ArrayNode
    let codingPath: [any CodingKey]
    var count: Int { node.elements.count }

    private var nextPath: [any CodingKey] { codingPath + [IndexKey(node.elements.count)] }

    func encodeNil() throws { node.elements.append(.value(.null)) }
    func encode(_ value: String) throws { node.elements.append(.value(.string(value))) }
    func encode<T: Encodable>(_ value: T) throws {
        node.elements.append(.value(try ValueEncoder.encode(value, path: nextPath)))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ValueEncoder(codingPath: nextPath)
        node.elements.append(.encoder(child))
        return child.container(keyedBy: keyType)
    }

    func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = ValueEncoder(codingPath: nextPath)
        node.elements.append(.encoder(child))
        return child.unkeyedContainer()
    }

    func superEncoder() -> any Encoder {
        let child = ValueEncoder(codingPath: nextPath)
        node.elements.append(.encoder(child))
        return child
    }
}

struct SingleEncoding: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.slot = .value(.null) }
    func encode(_ value: String) throws { encoder.slot = .value(.string(value)) }
    func encode(_ value: Bool) throws { encoder.slot = .value(.bool(value)) }
    func encode<T: Encodable>(_ value: T) throws {
        encoder.slot = .value(try ValueEncoder.encode(value, path: codingPath))
    }
}
