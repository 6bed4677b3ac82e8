/// A coding path as a chain to the parent: one small allocation per nested container, and the
/// `[any CodingKey]` array only built when someone asks (errors, `codingPath`).
final class CodingPathNode: Sendable {
    let parent: CodingPathNode?
    let key: any CodingKey

    init(parent: CodingPathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func keys(_ node: CodingPathNode?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var current = node
        while let node = current {
            keys.append(node.key)
            current = node.parent
        }
        return keys.reversed()
    }
}

/// Metatypes compared on every nested decode, looked up once: asking the runtime for the metadata of
/// `[String]` or `[String: String]` in generic code costs a hash-table lookup each time.
enum KnownTypes {
    static let stringList = ObjectIdentifier([String].self)
    static let stringMap = ObjectIdentifier([String: String].self)
}

/// The `Decoder` over one value of a ``JSONDocument``: three words (document, tape index, path), so
/// passing it as `any Decoder` needs no box. It is its own single-value container.
struct DocumentDecoder: Decoder, SingleValueDecodingContainer {
    let document: JSONDocument
    let index: Int
    let path: CodingPathNode?

    var codingPath: [any CodingKey] { CodingPathNode.keys(path) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes `T` from the value at `index`, whose coding path is `path`.
    ///
    /// Metatype comparisons are cheap; the dynamic casts further down are not, so the shapes the
    /// gateway decodes most (scalars, nested objects, string lists and maps) are settled before any
    /// of them. The path node is made only for a nested container or an error.
    @inline(__always)
    static func decode<T: Decodable>(_ type: T.Type, _ document: JSONDocument, at index: Int, path: @autoclosure () -> CodingPathNode?) throws -> T {
        if T.self == JSONValue.self { return unsafeBitCast(document.value(at: index), to: T.self) }
        let entry = document[index]
        if T.self == String.self, entry.kind == .string { return unsafeBitCast(document.string(at: index), to: T.self) }
        switch entry.kind {
        case .object:
            if ObjectIdentifier(T.self) == KnownTypes.stringMap { return unsafeBitCast(try stringMap(document, index, path()), to: T.self) }
            if let scalar = try ValueDecoder.scalar(type, from: .object(JSONObject()), lenient: document.lenient, path: { CodingPathNode.keys(path()) }) {
                return scalar
            }
        case .array:
            if ObjectIdentifier(T.self) == KnownTypes.stringList { return unsafeBitCast(try strings(document, index, path()), to: T.self) }
            if let scalar = try ValueDecoder.scalar(type, from: .array([]), lenient: document.lenient, path: { CodingPathNode.keys(path()) }) {
                return scalar
            }
        default:
            let value = document.scalarValue(at: index)
            if let scalar = try ValueDecoder.scalar(type, from: value, lenient: document.lenient, path: { CodingPathNode.keys(path()) }) {
                return scalar
            }
            if case .string(let text) = value, let stringType = T.self as? any JSONStringDecodable.Type {
                guard let decoded = stringType.init(jsonString: text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: CodingPathNode.keys(path()), debugDescription: "invalid \(T.self) string"))
                }
                return decoded as! T
            }
        }
        return try T(from: DocumentDecoder(document: document, index: index, path: path()))
    }

    static func strings(_ document: JSONDocument, _ index: Int, _ path: CodingPathNode?) throws -> [String] {
        let array = document[index]
        var out: [String] = []
        out.reserveCapacity(Int(array.count))
        var element = index + 1
        var position = 0
        while element < array.end {
            let entry = document[element]
            if entry.kind == .string {
                out.append(document.string(at: element))
            } else {
                if entry.kind == .null {
                    throw DecodingError.valueNotFound(String.self, .init(codingPath: CodingPathNode.keys(path) + [IndexKey(position)], debugDescription: "null for String"))
                }
                out.append(try ValueDecoder.string(document.scalarValue(at: element), lenient: document.lenient, path: { CodingPathNode.keys(path) + [IndexKey(position)] }))
            }
            element = document.next(after: element)
            position += 1
        }
        return out
    }

    static func stringMap(_ document: JSONDocument, _ index: Int, _ path: CodingPathNode?) throws -> [String: String] {
        let object = document[index]
        var out: [String: String] = [:]
        out.reserveCapacity(Int(object.count))
        var key = index + 1
        while key < object.end {
            let name = document.string(at: key)
            let value = key + 1
            let entry = document[value]
            if entry.kind == .string {
                out[name] = document.string(at: value)
            } else {
                if entry.kind == .null {
                    throw DecodingError.valueNotFound(String.self, .init(codingPath: CodingPathNode.keys(path) + [MemberKey(name)], debugDescription: "null for String"))
                }
                out[name] = try ValueDecoder.string(document.scalarValue(at: value), lenient: document.lenient, path: { CodingPathNode.keys(path) + [MemberKey(name)] })
            }
            key = document.next(after: value)
        }
        return out
    }

    static func mismatch<T>(_ type: T.Type, _ document: JSONDocument, _ index: Int, _ path: CodingPathNode?) -> DecodingError {
        ValueDecoder.mismatch(T.self, document.scalarValue(at: index), CodingPathNode.keys(path))
    }

    static func mismatch<T>(_ type: T.Type, _ document: JSONDocument, _ index: Int, path: CodingPathNode?, _ key: any CodingKey) -> DecodingError {
        ValueDecoder.mismatch(T.self, document.scalarValue(at: index), CodingPathNode.keys(path) + [key])
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document[index].kind == .object else { throw Self.mismatch([String: JSONValue].self, document, index, path) }
        return KeyedDecodingContainer(DocumentKeyedContainer<Key>(document: document, object: index, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document[index].kind == .array else { throw Self.mismatch([JSONValue].self, document, index, path) }
        return DocumentUnkeyedContainer(document: document, array: index, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { document[index].kind == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let entry = document[index]
        if entry.kind == .null, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath, debugDescription: "null for \(T.self)"))
        }
        // A primitive's `init(from:)` comes back here: over a container it must fail, not recurse.
        if entry.isContainer, T.self == Float.self || T.self is any FixedWidthInteger.Type {
            throw Self.mismatch(T.self, document, index, path)
        }
        return try Self.decode(type, document, at: index, path: path)
    }
}

extension DocumentDecoder: JSONValueProvidingDecoder {
    var jsonValue: JSONValue { document.value(at: index) }
}
