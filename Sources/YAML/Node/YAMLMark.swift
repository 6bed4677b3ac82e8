/// A position in the YAML source: 1-based line and column (columns count characters, not bytes).
///
/// `line == 0` means the position is unknown (a node built in code rather than parsed).
public struct YAMLMark: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line, or 0 when unknown.
    public var line: Int
    /// 1-based column, or 0 when unknown.
    public var column: Int

    /// Creates a mark from 1-based line and column numbers.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The mark of nodes that were not read from a document.
    public static let unknown = YAMLMark(line: 0, column: 0)

    /// `line 7, column 5`, or `unknown position`.
    public var description: String {
        line > 0 ? "line \(line), column \(column)" : "unknown position"
    }
}
