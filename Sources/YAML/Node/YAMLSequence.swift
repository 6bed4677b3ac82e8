/// A YAML sequence: its elements in order and where it starts.
public struct YAMLSequence: Sendable, RandomAccessCollection {
    /// The elements in source order.
    public var elements: [YAMLNode]
    /// Where the sequence starts.
    public var mark: YAMLMark

    /// Creates a sequence.
    public init(_ elements: [YAMLNode], mark: YAMLMark = .unknown) {
        self.elements = elements
        self.mark = mark
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }
    public subscript(position: Int) -> YAMLNode { elements[position] }
}

extension YAMLSequence: Equatable {
    /// Sequences are equal when their elements are; positions are ignored.
    public static func == (lhs: YAMLSequence, rhs: YAMLSequence) -> Bool {
        lhs.elements == rhs.elements
    }
}
