/// One YAML node: a scalar, a sequence, a mapping or null, with the position it was read from.
///
/// Aliases are already resolved (an alias is a copy of its anchored node) and merge keys (`<<`) are
/// already merged. Plain scalars keep their source text; their type is decided when they are decoded
/// (see `docs/yaml.md`), except that the plain null forms (`~`, `null`, `Null`, `NULL`, nothing) become
/// `.null`.
///
///     let node = try YAML.parseDocument("weight: 100")
///     node["weight"]?.scalar?.text   // "100"
public indirect enum YAMLNode: Sendable {
    /// A scalar: its text exactly as written (after quoting and folding), with its style and tag.
    case scalar(YAMLScalar)
    /// A sequence (`- a` or `[a, b]`).
    case sequence(YAMLSequence)
    /// A mapping (`k: v` or `{k: v}`), in source order.
    case mapping(YAMLMapping)
    /// A plain null scalar, or a scalar tagged `!!null`.
    case null(YAMLMark)

    /// Where the node starts in the source.
    public var mark: YAMLMark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .sequence(let sequence): sequence.mark
        case .mapping(let mapping): mapping.mark
        case .null(let mark): mark
        }
    }

    /// The scalar, if this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { scalar } else { nil }
    }

    /// The sequence, if this node is one.
    public var sequence: YAMLSequence? {
        if case .sequence(let sequence) = self { sequence } else { nil }
    }

    /// The mapping, if this node is one.
    public var mapping: YAMLMapping? {
        if case .mapping(let mapping) = self { mapping } else { nil }
    }

    /// Whether this node is null.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The value for a key, if this node is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        mapping?[key]
    }

    /// The keys of a mapping in source order (for example to reject unknown top-level fields);
    /// `nil` when this node is not a mapping.
    public var keys: [String]? {
        mapping?.keys
    }

    /// A short phrase naming what this node is, for error messages: `"abc"`, `a mapping`, `null`.
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.quotedForMessage
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        case .null: "null"
        }
    }
}

extension YAMLNode: Equatable {
    /// Nodes are equal when their content is: positions are ignored, scalar style and tag are not
    /// (a quoted `"1"` is a string, a plain `1` may be a number).
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): a == b
        case (.sequence(let a), .sequence(let b)): a == b
        case (.mapping(let a), .mapping(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }
}

extension YAMLNode: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral
{
    /// A quoted (string) scalar.
    public init(stringLiteral value: String) {
        self = .scalar(YAMLScalar(value, style: .doubleQuoted))
    }

    /// A sequence.
    public init(arrayLiteral elements: YAMLNode...) {
        self = .sequence(YAMLSequence(elements))
    }

    /// A mapping with string keys, in the order written.
    public init(dictionaryLiteral elements: (String, YAMLNode)...) {
        self = .mapping(YAMLMapping(elements.map { YAMLMapping.Entry(key: .scalar(YAMLScalar($0.0)), value: $0.1) }))
    }

    /// Null.
    public init(nilLiteral: ()) {
        self = .null(.unknown)
    }
}
