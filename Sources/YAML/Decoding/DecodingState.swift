/// What one `YAMLDecoder.decode` call shares between its decoders and containers: user info, the
/// scalar conversions, and (optionally) which mapping keys were asked for.
///
/// A class because containers are value types that must all record into the same place; used by
/// one decode call on one thread.
final class DecodingState {
    let userInfo: [CodingUserInfoKey: Any]
    private var usage: [YAMLMark: KeyUsage]?

    private struct KeyUsage {
        var mapping: YAMLMapping
        var path: [any CodingKey]
        var used: Set<String> = []
        var all = false
    }

    init(userInfo: [CodingUserInfoKey: any Sendable], tracksKeys: Bool) {
        self.userInfo = userInfo
        self.usage = tracksKeys ? [:] : nil
    }

    // MARK: Unknown keys

    func noteKey(_ key: String, in mapping: YAMLMapping, path: [any CodingKey]) {
        guard usage != nil else { return }
        usage?[mapping.mark, default: KeyUsage(mapping: mapping, path: path)].used.insert(key)
    }

    func noteAllKeys(in mapping: YAMLMapping, path: [any CodingKey]) {
        guard usage != nil else { return }
        usage?[mapping.mark, default: KeyUsage(mapping: mapping, path: path)].all = true
    }

    func noteContainer(for mapping: YAMLMapping, path: [any CodingKey]) {
        guard usage != nil, usage?[mapping.mark] == nil else { return }
        usage?[mapping.mark] = KeyUsage(mapping: mapping, path: path)
    }

    /// Throws for the first (by position) key that no keyed container asked for.
    func checkUnknownKeys() throws {
        guard let usage else { return }
        var first: (entry: YAMLMapping.Entry, path: [any CodingKey])?
        for record in usage.values where !record.all {
            for entry in record.mapping.entries where !record.used.contains(entry.key.keyText) {
                let mark = entry.key.mark
                if let current = first?.entry.key.mark,
                    (current.line, current.column) <= (mark.line, mark.column)
                {
                    continue
                }
                first = (entry, record.path)
            }
        }
        guard let first else { return }
        let error = YAMLError(
            .unknownKey, at: first.entry.key.mark, path: Self.pathString(first.path),
            "unknown key \"\(first.entry.key.keyText)\"")
        throw DecodingError.dataCorrupted(
            .init(codingPath: first.path, debugDescription: error.description, underlyingError: error))
    }

    // MARK: Decoding values

    /// Decodes any type from a node, with fast paths for the standard scalar types.
    func decode<T: Decodable>(_ type: T.Type, from node: YAMLNode, path: [any CodingKey]) throws -> T {
        switch type {
        case is String.Type: return try string(node, path) as! T
        case is Bool.Type: return try bool(node, path) as! T
        case is Int.Type: return try integer(Int.self, node, path) as! T
        case is Double.Type: return try double(node, path) as! T
        case is Int64.Type: return try integer(Int64.self, node, path) as! T
        case is Int32.Type: return try integer(Int32.self, node, path) as! T
        case is UInt.Type: return try integer(UInt.self, node, path) as! T
        case is UInt64.Type: return try integer(UInt64.self, node, path) as! T
        case is Float.Type: return try float(node, path) as! T
        default: return try T(from: NodeDecoder(node: node, codingPath: path, state: self))
        }
    }

    func string(_ node: YAMLNode, _ path: [any CodingKey]) throws -> String {
        guard case .scalar(let scalar) = node else { throw mismatch(String.self, node, path) }
        return scalar.text
    }

    func bool(_ node: YAMLNode, _ path: [any CodingKey]) throws -> Bool {
        guard case .scalar(let scalar) = node,
            let value = ScalarForms.coreBool(scalar.text) ?? ScalarForms.legacyBool(scalar.text)
        else { throw mismatch(Bool.self, node, path) }
        return value
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ node: YAMLNode, _ path: [any CodingKey]) throws -> T {
        guard case .scalar(let scalar) = node else { throw mismatch(type, node, path) }
        switch ScalarForms.integer(scalar.text, as: type) {
        case .value(let value):
            return value
        case .overflow:
            throw mismatch(type, node, path, note: " (out of range)")
        case nil:
            // `1e3` or `2.0` is an integer written as a float: accept it when it is exact.
            if let value = ScalarForms.double(scalar.text), value.isFinite, value.rounded() == value {
                guard let exact = T(exactly: value) else { throw mismatch(type, node, path, note: " (out of range)") }
                return exact
            }
            throw mismatch(type, node, path)
        }
    }

    func double(_ node: YAMLNode, _ path: [any CodingKey]) throws -> Double {
        guard case .scalar(let scalar) = node, let value = ScalarForms.double(scalar.text) else {
            throw mismatch(Double.self, node, path)
        }
        return value
    }

    func float(_ node: YAMLNode, _ path: [any CodingKey]) throws -> Float {
        let value = try double(node, path)
        let narrowed = Float(value)
        if value.isFinite, !narrowed.isFinite { throw mismatch(Float.self, node, path, note: " (out of range)") }
        return narrowed
    }

    // MARK: Errors

    /// A type mismatch, or a value-not-found when the node is null.
    func mismatch(_ type: Any.Type, _ node: YAMLNode, _ path: [any CodingKey], note: String = "", expected: String? = nil)
        -> DecodingError
    {
        let expectation = expected ?? String(describing: type)
        if node.isNull {
            let error = YAMLError(
                .valueNotFound, at: node.mark, path: Self.pathString(path), "expected \(expectation), found null")
            return .valueNotFound(
                type, .init(codingPath: path, debugDescription: error.description, underlyingError: error))
        }
        let error = YAMLError(
            .typeMismatch, at: node.mark, path: Self.pathString(path),
            "expected \(expectation), found \(node.kindDescription)\(note)")
        return .typeMismatch(type, .init(codingPath: path, debugDescription: error.description, underlyingError: error))
    }

    func keyNotFound(_ key: any CodingKey, in mapping: YAMLMapping, path: [any CodingKey]) -> DecodingError {
        let error = YAMLError(
            .keyNotFound, at: mapping.mark, path: Self.pathString(path), "missing required key \"\(key.stringValue)\"")
        return .keyNotFound(key, .init(codingPath: path, debugDescription: error.description, underlyingError: error))
    }

    /// `sparkClusters[0].weight`.
    static func pathString(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if key is IndexKey, let index = key.intValue {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }
}

/// The coding key of a sequence element.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// The coding key `super`, for `superDecoder()`.
struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(intValue: Int) { nil }
    init?(stringValue: String) { nil }
}
