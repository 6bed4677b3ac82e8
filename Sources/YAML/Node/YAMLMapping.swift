/// A YAML mapping: key/value entries in source order, with lookup by key text.
///
/// Keys are usually scalars; a key's text (`keyText`) is what lookups and decoding use. The parser
/// rejects duplicate keys, so each key text appears once.
public struct YAMLMapping: Sendable, RandomAccessCollection {
    /// One key/value pair.
    public struct Entry: Sendable, Equatable {
        /// The key node (with its own position).
        public var key: YAMLNode
        /// The value node.
        public var value: YAMLNode

        /// Creates an entry.
        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// The entries in source order.
    public private(set) var entries: [Entry]
    /// Where the mapping starts.
    public var mark: YAMLMark
    /// Key text → index of its first entry.
    private var index: [String: Int]

    /// Creates a mapping; when keys repeat, lookups find the first.
    public init(_ entries: [Entry], mark: YAMLMark = .unknown) {
        self.entries = entries
        self.mark = mark
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() where index[entry.key.keyText] == nil {
            index[entry.key.keyText] = position
        }
        self.index = index
    }

    public var startIndex: Int { entries.startIndex }
    public var endIndex: Int { entries.endIndex }
    public subscript(position: Int) -> Entry { entries[position] }

    /// The value for a key text.
    public subscript(key: String) -> YAMLNode? {
        entry(forKey: key)?.value
    }

    /// The entry for a key text.
    public func entry(forKey key: String) -> Entry? {
        index[key].map { entries[$0] }
    }

    /// The key texts in source order.
    public var keys: [String] { entries.map(\.key.keyText) }
}

extension YAMLMapping: Equatable {
    /// Mappings are equal when their entries are, in order; positions are ignored.
    public static func == (lhs: YAMLMapping, rhs: YAMLMapping) -> Bool {
        lhs.entries == rhs.entries
    }
}

extension YAMLNode {
    /// The text a mapping key is looked up by: a scalar's text, `null` for null, and a compact
    /// flow rendering for the rare collection keys.
    var keyText: String {
        switch self {
        case .scalar(let scalar): scalar.text
        case .null: "null"
        case .sequence(let sequence): "[" + sequence.elements.map(\.keyText).joined(separator: ", ") + "]"
        case .mapping(let mapping):
            "{" + mapping.entries.map { "\($0.key.keyText): \($0.value.keyText)" }.joined(separator: ", ") + "}"
        }
    }
}
