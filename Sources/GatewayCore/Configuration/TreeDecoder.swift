import Foundation

/// Decodes a `Decodable` type from a ``ConfigurationTree``, coercing scalars leniently and recording
/// which mapping keys the type asked for, so the keys it never asked for can be reported as unknown.
final class TreeDecodingState {
    var accessed: Set<String> = []
    var opaque: Set<String> = []
    /// Off on the submission path, where only the values matter.
    let tracksKeys: Bool

    init(tracksKeys: Bool = true) { self.tracksKeys = tracksKeys }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    /// Mapping keys present in `tree` that decoding never touched, as paths (`sparkClusters[0].foo`).
    func unknownKeys(in tree: ConfigurationTree, path: [any CodingKey] = []) -> [String] {
        if opaque.contains(Self.path(path)) { return [] }
        switch tree {
        case .null, .scalar: return []
        case .sequence(let items):
            return items.enumerated().flatMap { unknownKeys(in: $1, path: path + [AnyCodingKey(intValue: $0)!]) }
        case .mapping(let mapping):
            var result: [String] = []
            for (key, value) in mapping {
                let child = path + [AnyCodingKey(key)]
                if accessed.contains(Self.path(child)) {
                    result += unknownKeys(in: value, path: child)
                } else {
                    result.append(Self.path(child))
                }
            }
            return result.sorted()
        }
    }
}

struct TreeDecoder: Decoder {
    let node: ConfigurationTree
    let codingPath: [any CodingKey]
    let state: TreeDecodingState
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch node {
        case .mapping(let mapping):
            return KeyedDecodingContainer(TreeKeyedContainer<Key>(mapping: mapping, codingPath: codingPath, state: state))
        case .null:
            return KeyedDecodingContainer(TreeKeyedContainer<Key>(mapping: [:], codingPath: codingPath, state: state))
        default:
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: codingPath, debugDescription: "expected a mapping"))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node {
        case .sequence(let items): return TreeUnkeyedContainer(items: items, codingPath: codingPath, state: state)
        case .null: return TreeUnkeyedContainer(items: [], codingPath: codingPath, state: state)
        default:
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "expected a list"))
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }
}

extension TreeDecoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { node == .null }

    private func scalar<T>(_ type: T.Type) throws -> String {
        guard case .scalar(let text) = node else {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: "expected a single value"))
        }
        return text
    }

    private func convert<T>(_ type: T.Type, _ parse: (String) -> T?) throws -> T {
        let text = try scalar(type)
        guard let value = parse(String(text.trimmingSpaces)) else {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: "\"\(text)\" is not a valid \(type)"))
        }
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        try convert(type) {
            switch $0.lowercased() {
            case "true": true
            case "false": false
            default: nil
            }
        }
    }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try convert(type) { Double($0) } }
    func decode(_ type: Float.Type) throws -> Float { try convert(type) { Float($0) } }
    func decode(_ type: Int.Type) throws -> Int { try convert(type) { Int($0) } }
    func decode(_ type: Int8.Type) throws -> Int8 { try convert(type) { Int8($0) } }
    func decode(_ type: Int16.Type) throws -> Int16 { try convert(type) { Int16($0) } }
    func decode(_ type: Int32.Type) throws -> Int32 { try convert(type) { Int32($0) } }
    func decode(_ type: Int64.Type) throws -> Int64 { try convert(type) { Int64($0) } }
    func decode(_ type: UInt.Type) throws -> UInt { try convert(type) { UInt($0) } }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try convert(type) { UInt8($0) } }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try convert(type) { UInt16($0) } }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try convert(type) { UInt32($0) } }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try convert(type) { UInt64($0) } }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == ConfigurationTree.self, let tree = node as? T {
            if state.tracksKeys { state.opaque.insert(TreeDecodingState.path(codingPath)) }
            return tree
        }
        return try T(from: self)
    }
}

private struct TreeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: [String: ConfigurationTree]
    let codingPath: [any CodingKey]
    let state: TreeDecodingState

    var allKeys: [Key] { mapping.keys.compactMap { Key(stringValue: $0) } }

    private func mark(_ key: Key) {
        guard state.tracksKeys else { return }
        state.accessed.insert(TreeDecodingState.path(codingPath + [key]))
    }

    func contains(_ key: Key) -> Bool {
        mark(key)
        return mapping[key.stringValue] != nil
    }

    private func child(_ key: Key) throws -> TreeDecoder {
        mark(key)
        guard let node = mapping[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing key"))
        }
        return TreeDecoder(node: node, codingPath: codingPath + [key], state: state)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        mark(key)
        return (mapping[key.stringValue] ?? .null) == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try child(key).decode(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try child(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try child(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try child(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try child(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try child(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    { try child(key).container(keyedBy: type) }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(node: .mapping(mapping), codingPath: codingPath, state: state)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try child(key) }
}

private struct TreeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [ConfigurationTree]
    let codingPath: [any CodingKey]
    let state: TreeDecodingState
    var currentIndex = 0

    init(items: [ConfigurationTree], codingPath: [any CodingKey], state: TreeDecodingState) {
        self.items = items
        self.codingPath = codingPath
        self.state = state
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "no more items"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(
            node: items[currentIndex], codingPath: codingPath + [AnyCodingKey(intValue: currentIndex)!], state: state)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    { try next().container(keyedBy: type) }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}
