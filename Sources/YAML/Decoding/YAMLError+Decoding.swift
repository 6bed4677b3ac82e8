extension YAMLError {
    /// Wraps a `DecodingError` with the position of the node it is about. Errors raised by this
    /// module already carry a `YAMLError`; errors thrown by a type's own `init(from:)` are located by
    /// following their coding path from the root.
    init(_ error: DecodingError, root: YAMLNode) {
        let context: DecodingError.Context
        let message: String
        switch error {
        case .typeMismatch(let type, let c):
            context = c
            message = c.debugDescription.isEmpty ? "expected \(type)" : c.debugDescription
        case .valueNotFound(let type, let c):
            context = c
            message = c.debugDescription.isEmpty ? "expected \(type)" : c.debugDescription
        case .keyNotFound(let key, let c):
            context = c
            message = "missing required key \"\(key.stringValue)\""
        case .dataCorrupted(let c):
            context = c
            message = c.debugDescription
        @unknown default:
            self.init(.dataCorrupted, at: root.mark, "\(error)")
            self.decodingError = error
            return
        }
        if var positioned = context.underlyingError as? YAMLError {
            positioned.decodingError = error
            self = positioned
            return
        }
        let node = Self.node(at: context.codingPath, in: root)
        let code: Code =
            switch error {
            case .typeMismatch: .typeMismatch
            case .valueNotFound: .valueNotFound
            case .keyNotFound: .keyNotFound
            default: .dataCorrupted
            }
        self.init(code, at: node.mark, path: DecodingState.pathString(context.codingPath), message)
        self.decodingError = error
    }

    /// The deepest node that exists along a coding path.
    private static func node(at path: [any CodingKey], in root: YAMLNode) -> YAMLNode {
        var node = root
        for key in path {
            switch node {
            case .mapping(let mapping):
                guard let next = mapping[key.stringValue] else { return node }
                node = next
            case .sequence(let sequence):
                guard let index = key.intValue, sequence.indices.contains(index) else { return node }
                node = sequence[index]
            default:
                return node
            }
        }
        return node
    }
}
