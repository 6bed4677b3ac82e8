/// How ``JSONValue/jsonBytes(_:)`` lays the text out.
public struct JSONFormat: Sendable, Hashable {
    /// Object members sorted by key instead of in their order: stable output for documents built
    /// from dictionaries.
    public var sortedKeys: Bool
    /// Two-space indentation, one member or element a line, `"key" : value`.
    public var prettyPrinted: Bool

    public init(sortedKeys: Bool = false, prettyPrinted: Bool = false) {
        self.sortedKeys = sortedKeys
        self.prettyPrinted = prettyPrinted
    }

    /// Compact, members in order.
    public static let compact = JSONFormat()
}
