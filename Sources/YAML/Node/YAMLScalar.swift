/// A scalar's text exactly as written (after unquoting, escapes and block folding), with its style,
/// explicit tag and position.
public struct YAMLScalar: Sendable, CustomStringConvertible {
    /// How the scalar was written.
    public enum Style: Sendable, Hashable {
        /// Unquoted: its type is resolved from its text when decoding.
        case plain
        /// `'text'`
        case singleQuoted
        /// `"text"`
        case doubleQuoted
        /// `|` block
        case literal
        /// `>` block
        case folded
    }

    /// The text, as the writer meant it (quotes removed, escapes applied, blocks folded and chomped).
    public var text: String
    /// How it was written.
    public var style: Style
    /// The explicit tag with handles expanded (`!!int` is `tag:yaml.org,2002:int`), or nil when untagged.
    public var tag: String?
    /// Where it starts.
    public var mark: YAMLMark

    /// Creates a scalar; plain by default.
    public init(_ text: String, style: Style = .plain, tag: String? = nil, mark: YAMLMark = .unknown) {
        self.text = text
        self.style = style
        self.tag = tag
        self.mark = mark
    }

    /// True for unquoted, untagged scalars: the only ones whose type is guessed from their text.
    /// Quoted, block and `!!str`-tagged scalars are always strings.
    public var isPlain: Bool { style == .plain && tag == nil }

    /// The text.
    public var description: String { text }

    /// The text in quotes, shortened, for error messages.
    var quotedForMessage: String {
        let limit = 60
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
        var escaped = ""
        for character in shown.unicodeScalars {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "\"\(escaped)\""
    }
}

extension YAMLScalar: Equatable {
    /// Scalars are equal when text, style and tag are; positions are ignored.
    public static func == (lhs: YAMLScalar, rhs: YAMLScalar) -> Bool {
        lhs.text == rhs.text && lhs.style == rhs.style && lhs.tag == rhs.tag
    }
}
