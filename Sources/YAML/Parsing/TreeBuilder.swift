/// Builds `YAMLNode` trees from libyaml events: resolves aliases (within limits), applies merge keys,
/// and rejects duplicate keys, duplicate anchors and undefined aliases.
struct TreeBuilder {
    /// Size of a built subtree, used to bound alias expansion and depth.
    private struct Size {
        var nodes = 1
        var height = 1
    }

    /// A collection being built.
    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var anchor: String?
        var mark: YAMLMark
        var children: [YAMLNode] = []
        var size = Size()
    }

    private let limits: YAML.Limits
    private var anchors: [String: (node: YAMLNode, size: Size, mark: YAMLMark)] = [:]
    private var stack: [Frame] = []
    private var aliasExpansion = 0
    private(set) var documents: [YAMLNode] = []

    init(limits: YAML.Limits) {
        self.limits = limits
    }

    mutating func handle(_ event: YAMLEvent) throws {
        switch event {
        case .streamStart, .streamEnd, .documentEnd:
            break
        case .documentStart:
            // Anchors are scoped to one document.
            anchors.removeAll(keepingCapacity: true)
            aliasExpansion = 0
        case .alias(let anchor, let mark):
            guard let target = anchors[anchor] else {
                throw YAMLError(.undefinedAlias, at: mark, "undefined alias \"*\(anchor)\": no anchor \"&\(anchor)\" before it")
            }
            aliasExpansion += target.size.nodes
            if aliasExpansion > limits.maxAliasExpansion {
                throw YAMLError(
                    .limitExceeded, at: mark,
                    "aliases expand to more than \(limits.maxAliasExpansion) nodes (an alias bomb?)")
            }
            try deliver(target.node, size: target.size, mark: mark)
        case .scalar(let value, let anchor, let tag, let style, let mark):
            let node: YAMLNode
            if tag == "tag:yaml.org,2002:null" || (tag == nil && style == .plain && Self.isNull(value)) {
                node = .null(mark)
            } else {
                node = .scalar(YAMLScalar(value, style: style, tag: tag, mark: mark))
            }
            try register(anchor, node: node, size: Size(), mark: mark)
            try deliver(node, size: Size(), mark: mark)
        case .sequenceStart(let anchor, _, let mark):
            try push(Frame(kind: .sequence, anchor: anchor, mark: mark))
        case .mappingStart(let anchor, _, let mark):
            try push(Frame(kind: .mapping, anchor: anchor, mark: mark))
        case .sequenceEnd, .mappingEnd:
            guard let frame = stack.popLast() else { return }
            let node: YAMLNode
            switch frame.kind {
            case .sequence: node = .sequence(YAMLSequence(frame.children, mark: frame.mark))
            case .mapping: node = .mapping(try mapping(from: frame.children, mark: frame.mark))
            }
            try register(frame.anchor, node: node, size: frame.size, mark: frame.mark)
            try deliver(node, size: frame.size, mark: frame.mark)
        }
    }

    /// The plain scalars YAML 1.2's core schema (and 1.1) read as null.
    static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": true
        default: false
        }
    }

    private mutating func push(_ frame: Frame) throws {
        if stack.count >= limits.maxDepth {
            throw YAMLError(.limitExceeded, at: frame.mark, "collections nest deeper than \(limits.maxDepth) levels")
        }
        stack.append(frame)
    }

    private mutating func register(_ anchor: String?, node: YAMLNode, size: Size, mark: YAMLMark) throws {
        guard let anchor else { return }
        if let previous = anchors[anchor] {
            throw YAMLError(
                .duplicateAnchor, at: mark, "anchor \"&\(anchor)\" is already defined at \(previous.mark)")
        }
        anchors[anchor] = (node, size, mark)
    }

    private mutating func deliver(_ node: YAMLNode, size: Size, mark: YAMLMark) throws {
        guard !stack.isEmpty else {
            documents.append(node)
            return
        }
        if stack.count + size.height > limits.maxDepth + 1 {
            throw YAMLError(.limitExceeded, at: mark, "collections nest deeper than \(limits.maxDepth) levels")
        }
        stack[stack.count - 1].children.append(node)
        stack[stack.count - 1].size.nodes += size.nodes
        stack[stack.count - 1].size.height = max(stack[stack.count - 1].size.height, size.height + 1)
    }

    /// Pairs up keys and values, rejects duplicate keys and applies merge keys (`<<`): explicit keys
    /// win over merged ones, and earlier merged mappings win over later ones.
    private func mapping(from children: [YAMLNode], mark: YAMLMark) throws -> YAMLMapping {
        var pairs: [YAMLMapping.Entry] = []
        pairs.reserveCapacity(children.count / 2)
        var index = children.startIndex
        while index + 1 < children.endIndex {
            pairs.append(YAMLMapping.Entry(key: children[index], value: children[index + 1]))
            index += 2
        }
        var explicitKeys: [String: YAMLMark] = [:]
        var hasMerge = false
        for pair in pairs {
            if Self.isMergeKey(pair.key) {
                hasMerge = true
                continue
            }
            let text = pair.key.keyText
            if let first = explicitKeys[text] {
                throw YAMLError(.duplicateKey, at: pair.key.mark, "duplicate key \"\(text)\" (first at \(first))")
            }
            explicitKeys[text] = pair.key.mark
        }
        guard hasMerge else { return YAMLMapping(pairs, mark: mark) }

        var entries: [YAMLMapping.Entry] = []
        var merged = Set<String>()
        for pair in pairs {
            guard Self.isMergeKey(pair.key) else {
                entries.append(pair)
                continue
            }
            let sources: [YAMLMapping]
            switch pair.value {
            case .mapping(let source):
                sources = [source]
            case .sequence(let sequence):
                sources = try sequence.elements.map { element in
                    guard case .mapping(let source) = element else {
                        throw YAMLError(
                            .invalidMerge, at: element.mark,
                            "a merge key (<<) sequence may hold only mappings, found \(element.kindDescription)")
                    }
                    return source
                }
            default:
                throw YAMLError(
                    .invalidMerge, at: pair.value.mark,
                    "a merge key (<<) needs a mapping or a sequence of mappings, found \(pair.value.kindDescription)")
            }
            for source in sources {
                for entry in source.entries {
                    let text = entry.key.keyText
                    if explicitKeys[text] == nil, merged.insert(text).inserted {
                        entries.append(entry)
                    }
                }
            }
        }
        return YAMLMapping(entries, mark: mark)
    }

    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = key else { return false }
        return (scalar.isPlain && scalar.text == "<<") || scalar.tag == "tag:yaml.org,2002:merge"
    }
}
