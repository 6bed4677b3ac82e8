/// Lists every leaf field a `Decodable` type reads, with the Swift type it asks the decoder for, by
/// running its `init(from:)` against a decoder that answers every question. The fuzz tests use it so
/// a field added to the request or the configuration is attacked without anyone listing it.
///
/// ```swift
/// let leaves = try FieldProbe.leaves(of: SubmitApplicationRequest.self)
/// // [.. FieldProbe.Leaf(path: "driver.cores", type: "Int") ..]
/// ```
public enum FieldProbe {
    /// One scalar the type decodes. Arrays appear as `[0]`, dictionary entries under the key `k`.
    public struct Leaf: Hashable, Sendable, CustomStringConvertible {
        public var path: [FuzzJSON.Segment]
        /// `Int`, `Int64`, `Double`, `Bool`, `String`…
        public var type: String
        public init(path: [FuzzJSON.Segment], type: String) {
            self.path = path
            self.type = type
        }
        public var isNumeric: Bool { ["Int", "Int64", "Int32", "Double", "Float", "UInt", "UInt64"].contains(type) }
        /// `driver.env[0].name`.
        public var dottedPath: String { FuzzJSON.Segment.render(path) }
        public var description: String { "\(dottedPath): \(type)" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The leaves of `type`. `strings` answers a string at a path whose value is constrained (an enum
    /// raw value), keyed by dotted path; every other string is `"x"`.
    public static func leaves<T: Decodable>(of type: T.Type, strings: [String: String] = [:]) throws -> [Leaf] {
        let state = State(strings: strings)
        _ = try T(from: ProbeDecoder(state: state, path: []))
        var seen = Set<Leaf>()
        return state.leaves.filter { seen.insert($0).inserted }
    }

    final class State {
        var leaves: [Leaf] = []
        let strings: [String: String]
        init(strings: [String: String]) { self.strings = strings }

        func record<V>(_ path: [FuzzJSON.Segment], _ type: V.Type) {
            leaves.append(Leaf(path: path, type: String(describing: type)))
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    struct ProbeDecoder: Decoder {
        let state: State
        let path: [FuzzJSON.Segment]
        var codingPath: [any CodingKey] {
            path.map { segment in
                switch segment {
                case .key(let key): Key(stringValue: key)
                case .index(let index): Key(intValue: index)
                }
            }
        }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
            guard path.count < 32 else { throw Failure(description: "nesting beyond 32 levels at \(FuzzJSON.Segment.render(path))") }
            return KeyedDecodingContainer(Keyed<K>(state: state, path: path))
        }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(state: state, path: path) }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(state: state, path: path) }
    }

    /// Answers a scalar and records it as a leaf.
    static func scalar<V>(_ type: V.Type, _ state: State, _ path: [FuzzJSON.Segment]) throws -> V {
        state.record(path, type)
        let value: Any? =
            switch type {
            case is String.Type: state.strings[FuzzJSON.Segment.render(path)] ?? "x"
            case is Bool.Type: true
            case is Int.Type: 1 as Int
            case is Int8.Type: 1 as Int8
            case is Int16.Type: 1 as Int16
            case is Int32.Type: 1 as Int32
            case is Int64.Type: 1 as Int64
            case is UInt.Type: 1 as UInt
            case is UInt8.Type: 1 as UInt8
            case is UInt16.Type: 1 as UInt16
            case is UInt32.Type: 1 as UInt32
            case is UInt64.Type: 1 as UInt64
            case is Double.Type: 1 as Double
            case is Float.Type: 1 as Float
            default: nil
            }
        guard let typed = value as? V else { throw Failure(description: "unsupported scalar \(type)") }
        return typed
    }

    struct Keyed<K: CodingKey>: KeyedDecodingContainerProtocol {
        let state: State
        let path: [FuzzJSON.Segment]
        var codingPath: [any CodingKey] { ProbeDecoder(state: state, path: path).codingPath }
        /// Dictionaries enumerate their keys: give them one. Structs that list their keys to reject
        /// unknown ones get none.
        var allKeys: [K] {
            String(describing: K.self).contains("Dictionary") ? [K(stringValue: "k")].compactMap { $0 } : []
        }
        func contains(_ key: K) -> Bool { true }
        func decodeNil(forKey key: K) throws -> Bool { false }
        func child(_ key: K) -> [FuzzJSON.Segment] { path + [.key(key.stringValue)] }

        func decode(_ type: Bool.Type, forKey key: K) throws -> Bool { try scalar(type, state, child(key)) }
        func decode(_ type: String.Type, forKey key: K) throws -> String { try scalar(type, state, child(key)) }
        func decode(_ type: Double.Type, forKey key: K) throws -> Double { try scalar(type, state, child(key)) }
        func decode(_ type: Float.Type, forKey key: K) throws -> Float { try scalar(type, state, child(key)) }
        func decode(_ type: Int.Type, forKey key: K) throws -> Int { try scalar(type, state, child(key)) }
        func decode(_ type: Int8.Type, forKey key: K) throws -> Int8 { try scalar(type, state, child(key)) }
        func decode(_ type: Int16.Type, forKey key: K) throws -> Int16 { try scalar(type, state, child(key)) }
        func decode(_ type: Int32.Type, forKey key: K) throws -> Int32 { try scalar(type, state, child(key)) }
        func decode(_ type: Int64.Type, forKey key: K) throws -> Int64 { try scalar(type, state, child(key)) }
        func decode(_ type: UInt.Type, forKey key: K) throws -> UInt { try scalar(type, state, child(key)) }
        func decode(_ type: UInt8.Type, forKey key: K) throws -> UInt8 { try scalar(type, state, child(key)) }
        func decode(_ type: UInt16.Type, forKey key: K) throws -> UInt16 { try scalar(type, state, child(key)) }
        func decode(_ type: UInt32.Type, forKey key: K) throws -> UInt32 { try scalar(type, state, child(key)) }
        func decode(_ type: UInt64.Type, forKey key: K) throws -> UInt64 { try scalar(type, state, child(key)) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: K) throws -> T {
            try T(from: ProbeDecoder(state: state, path: child(key)))
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: K) throws -> KeyedDecodingContainer<N> {
            KeyedDecodingContainer(Keyed<N>(state: state, path: child(key)))
        }
        func nestedUnkeyedContainer(forKey key: K) throws -> any UnkeyedDecodingContainer {
            Unkeyed(state: state, path: child(key))
        }
        func superDecoder() throws -> any Decoder { ProbeDecoder(state: state, path: path) }
        func superDecoder(forKey key: K) throws -> any Decoder { ProbeDecoder(state: state, path: child(key)) }
    }

    /// A one-element array.
    struct Unkeyed: UnkeyedDecodingContainer {
        let state: State
        let path: [FuzzJSON.Segment]
        var codingPath: [any CodingKey] { ProbeDecoder(state: state, path: path).codingPath }
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex >= 1 }
        init(state: State, path: [FuzzJSON.Segment]) {
            self.state = state
            self.path = path
        }
        var element: [FuzzJSON.Segment] { path + [.index(0)] }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            defer { currentIndex += 1 }
            switch type {
            case is String.Type, is Bool.Type, is Int.Type, is Int64.Type, is Double.Type:
                return try scalar(type, state, element)
            default:
                return try T(from: ProbeDecoder(state: state, path: element))
            }
        }
        mutating func nestedContainer<N: CodingKey>(keyedBy type: N.Type) throws -> KeyedDecodingContainer<N> {
            defer { currentIndex += 1 }
            return KeyedDecodingContainer(Keyed<N>(state: state, path: element))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            defer { currentIndex += 1 }
            return Unkeyed(state: state, path: element)
        }
        mutating func superDecoder() throws -> any Decoder { ProbeDecoder(state: state, path: element) }
    }

    struct Single: SingleValueDecodingContainer {
        let state: State
        let path: [FuzzJSON.Segment]
        var codingPath: [any CodingKey] { ProbeDecoder(state: state, path: path).codingPath }
        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { try scalar(type, state, path) }
        func decode(_ type: String.Type) throws -> String { try scalar(type, state, path) }
        func decode(_ type: Double.Type) throws -> Double { try scalar(type, state, path) }
        func decode(_ type: Float.Type) throws -> Float { try scalar(type, state, path) }
        func decode(_ type: Int.Type) throws -> Int { try scalar(type, state, path) }
        func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type, state, path) }
        func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type, state, path) }
        func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type, state, path) }
        func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type, state, path) }
        func decode(_ type: UInt.Type) throws -> UInt { try scalar(type, state, path) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type, state, path) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type, state, path) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type, state, path) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type, state, path) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: ProbeDecoder(state: state, path: path)) }
    }
}
