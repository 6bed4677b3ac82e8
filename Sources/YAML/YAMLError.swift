/// An error from parsing or decoding YAML, always positioned in the source when the position is known.
///
/// The description reads `line 7, column 5 (sparkClusters[0].weight): expected Int, found "abc"`, so it
/// can be shown to whoever wrote the document.
public struct YAMLError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, as a stable short label usable in metrics and tests.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case syntax, undefinedAlias = "undefined_alias", duplicateAnchor = "duplicate_anchor"
            case duplicateKey = "duplicate_key", invalidMerge = "invalid_merge", limitExceeded = "limit_exceeded"
            case documentCount = "document_count", typeMismatch = "type_mismatch", keyNotFound = "key_not_found"
            case valueNotFound = "value_not_found", dataCorrupted = "data_corrupted", unknownKey = "unknown_key"
            case notRepresentable = "not_representable"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// libyaml rejected the text (bad indentation, unclosed quote or bracket, tab indentation, bad encoding).
        public static let syntax = Code(.syntax)
        /// An alias (`*name`) names no anchor defined before it in the same document.
        public static let undefinedAlias = Code(.undefinedAlias)
        /// The same anchor (`&name`) is defined twice in one document.
        public static let duplicateAnchor = Code(.duplicateAnchor)
        /// A mapping lists the same key twice.
        public static let duplicateKey = Code(.duplicateKey)
        /// A merge key (`<<`) whose value is not a mapping or a sequence of mappings.
        public static let invalidMerge = Code(.invalidMerge)
        /// Alias expansion or nesting depth exceeded `YAML.Limits` (for example an alias bomb).
        public static let limitExceeded = Code(.limitExceeded)
        /// `YAML.parseDocument` found more than one document.
        public static let documentCount = Code(.documentCount)
        /// A value has the wrong shape or form for the type being decoded.
        public static let typeMismatch = Code(.typeMismatch)
        /// A required mapping key is missing.
        public static let keyNotFound = Code(.keyNotFound)
        /// A required value is null.
        public static let valueNotFound = Code(.valueNotFound)
        /// A decoded type rejected a value it otherwise understood.
        public static let dataCorrupted = Code(.dataCorrupted)
        /// A mapping key that the decoded type does not read (only with `YAMLDecoder.rejectsUnknownKeys`).
        public static let unknownKey = Code(.unknownKey)
        /// A value that JSON cannot represent (`.inf`, `.nan`).
        public static let notRepresentable = Code(.notRepresentable)

        /// The label, such as `type_mismatch`.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// 1-based line of the offending text, or 0 when unknown.
    public let line: Int
    /// 1-based column of the offending text, or 0 when unknown.
    public let column: Int
    /// Where in the decoded value the error is, such as `sparkClusters[0].weight`; empty when not decoding.
    public let path: String
    /// What was expected and what was found, without the position.
    public let message: String
    /// The same failure as a `DecodingError`, when it happened while decoding.
    public internal(set) var decodingError: DecodingError?

    init(_ code: Code, at mark: YAMLMark, path: String = "", _ message: String) {
        self.code = code
        self.line = mark.line
        self.column = mark.column
        self.path = path
        self.message = message
        self.decodingError = nil
    }

    /// The position of the error.
    public var mark: YAMLMark { YAMLMark(line: line, column: column) }

    /// `line 7, column 5 (sparkClusters[0].weight): expected Int, found "abc"`.
    public var description: String {
        var text = line > 0 ? "line \(line), column \(column)" : ""
        if !path.isEmpty { text += text.isEmpty ? "(\(path))" : " (\(path))" }
        return text.isEmpty ? message : "\(text): \(message)"
    }
}
