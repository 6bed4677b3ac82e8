/// A JSON document built for fuzzing: scalars are kept as raw text, so values no JSON library would
/// write (`1e400`, `-0.0`, `99999999999999999999`) reach the parser verbatim.
public indirect enum FuzzJSON: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Text inserted as is: a number, `true`, `null`, or any fragment (even invalid JSON).
    case raw(String)
    case string(String)
    case array([FuzzJSON])
    /// Members in order.
    case object([(String, FuzzJSON)])

    public enum Segment: Hashable, Sendable {
        case key(String)
        case index(Int)

        /// `driver.env[0].name`.
        public static func render(_ path: [Segment]) -> String {
            var out = ""
            for segment in path {
                switch segment {
                case .key(let key): out += out.isEmpty ? key : "." + key
                case .index(let index): out += "[\(index)]"
                }
            }
            return out
        }
    }

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .raw(String(value)) }
    public init(booleanLiteral value: Bool) { self = .raw(value ? "true" : "false") }
    public init(arrayLiteral elements: FuzzJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, FuzzJSON)...) { self = .object(elements) }

    /// A copy with `value` at `path`, creating missing objects and arrays on the way.
    public func setting(_ value: FuzzJSON, at path: some Collection<Segment>) -> FuzzJSON {
        guard let first = path.first else { return value }
        let rest = path.dropFirst()
        switch first {
        case .key(let key):
            var members: [(String, FuzzJSON)] = []
            if case .object(let existing) = self { members = existing }
            if let index = members.firstIndex(where: { $0.0 == key }) {
                members[index].1 = members[index].1.setting(value, at: rest)
            } else {
                members.append((key, FuzzJSON.object([]).setting(value, at: rest)))
            }
            return .object(members)
        case .index(let index):
            var items: [FuzzJSON] = []
            if case .array(let existing) = self { items = existing }
            while items.count <= index { items.append(.object([])) }
            items[index] = items[index].setting(value, at: rest)
            return .array(items)
        }
    }

    /// The JSON text.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .raw(let text): out += text
        case .string(let text): Self.quote(text, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
