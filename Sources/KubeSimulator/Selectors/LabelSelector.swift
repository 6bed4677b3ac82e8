/// A parsed Kubernetes label selector (the `labelSelector` query parameter), with the grammar and
/// matching rules of `k8s.io/apimachinery/pkg/labels`: comma-separated requirements, each one of
/// `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
/// `key>N`, `key<N`. All requirements must hold (AND); an empty selector matches everything.
///
///     let selector = try LabelSelector(parsing: "spark-role=driver,app notin (a, b)")
///     selector.matches(["spark-role": "driver"])   // true
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement on one label key.
    public enum Requirement: Sendable, Hashable {
        case exists(String)
        case doesNotExist(String)
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case greaterThan(String, Int)
        case lessThan(String, Int)
    }

    /// The requirements, all of which must hold.
    public var requirements: [Requirement]

    /// The selector that matches every object.
    public static let everything = LabelSelector(requirements: [])

    /// A selector from already-built requirements.
    public init(requirements: [Requirement]) {
        self.requirements = requirements
    }

    /// Parses selector text; throws `SelectorParseError` naming the problem.
    public init(parsing text: String) throws(SelectorParseError) {
        var parser = Parser(text: text)
        requirements = try parser.parseRequirements()
    }

    /// Whether `labels` satisfy every requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            case .equals(let key, let value): return labels[key] == value
            // As in Kubernetes, `!=` and `notin` also match objects that lack the label.
            case .notEquals(let key, let value): return labels[key] != value
            case .in(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return !(labels[key].map(values.contains) ?? false)
            case .greaterThan(let key, let bound): return labels[key].flatMap { Int($0) }.map { $0 > bound } ?? false
            case .lessThan(let key, let bound): return labels[key].flatMap { Int($0) }.map { $0 < bound } ?? false
            }
        }
    }

    public var description: String {
        requirements.map { requirement in
            switch requirement {
            case .exists(let key): return key
            case .doesNotExist(let key): return "!" + key
            case .equals(let key, let value): return "\(key)=\(value)"
            case .notEquals(let key, let value): return "\(key)!=\(value)"
            case .in(let key, let values): return "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): return "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .greaterThan(let key, let bound): return "\(key)>\(bound)"
            case .lessThan(let key, let bound): return "\(key)<\(bound)"
            }
        }.joined(separator: ",")
    }
}

/// A label or field selector that does not parse; `message` is what the API server puts in its 400 Status.
public struct SelectorParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, worded as the API server words it.
    public var message: String
    public var description: String { message }
}

extension LabelSelector {
    private enum Token: Equatable {
        case identifier(String)
        case not  // !
        case equals  // =
        case doubleEquals  // ==
        case notEquals  // !=
        case greaterThan, lessThan
        case openParen, closeParen, comma
        case inKeyword, notInKeyword
        case end

        var text: String {
            switch self {
            case .identifier(let value): return value
            case .not: return "!"
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .greaterThan: return ">"
            case .lessThan: return "<"
            case .openParen: return "("
            case .closeParen: return ")"
            case .comma: return ","
            case .inKeyword: return "in"
            case .notInKeyword: return "notin"
            case .end: return "end of string"
            }
        }
    }

    private struct Parser {
        var tokens: [Token] = []
        var position = 0

        init(text: String) {
            let characters = Array(text)
            var index = 0
            while index < characters.count {
                let character = characters[index]
                if character.isWhitespace {
                    index += 1
                    continue
                }
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                switch character {
                case "!" where next == "=":
                    tokens.append(.notEquals)
                    index += 2
                case "!":
                    tokens.append(.not)
                    index += 1
                case "=" where next == "=":
                    tokens.append(.doubleEquals)
                    index += 2
                case "=":
                    tokens.append(.equals)
                    index += 1
                case ">":
                    tokens.append(.greaterThan)
                    index += 1
                case "<":
                    tokens.append(.lessThan)
                    index += 1
                case "(":
                    tokens.append(.openParen)
                    index += 1
                case ")":
                    tokens.append(.closeParen)
                    index += 1
                case ",":
                    tokens.append(.comma)
                    index += 1
                default:
                    var word = ""
                    while index < characters.count, !characters[index].isWhitespace,
                        !"!=<>(),".contains(characters[index])
                    {
                        word.append(characters[index])
                        index += 1
                    }
                    switch word {
                    case "in": tokens.append(.inKeyword)
                    case "notin": tokens.append(.notInKeyword)
                    default: tokens.append(.identifier(word))
                    }
                }
            }
            tokens.append(.end)
        }

        private var current: Token { tokens[position] }
        private var lookahead: Token { position + 1 < tokens.count ? tokens[position + 1] : .end }

        private mutating func advance() -> Token {
            let token = tokens[position]
            if position < tokens.count - 1 { position += 1 }
            return token
        }

        mutating func parseRequirements() throws(SelectorParseError) -> [Requirement] {
            var requirements: [Requirement] = []
            if current == .end { return requirements }
            while true {
                requirements.append(try parseRequirement())
                switch advance() {
                case .end: return requirements
                case .comma:
                    if current == .end {
                        throw SelectorParseError(message: "found '', expected: identifier after ','")
                    }
                case let token:
                    throw SelectorParseError(message: "found '\(token.text)', expected: ',' or 'end of string'")
                }
            }
        }

        private mutating func parseRequirement() throws(SelectorParseError) -> Requirement {
            if current == .not {
                _ = advance()
                let key = try parseKey()
                return .doesNotExist(key)
            }
            let key = try parseKey()
            switch current {
            case .comma, .end:
                return .exists(key)
            case .equals, .doubleEquals:
                _ = advance()
                return .equals(key, try parseValue(for: key))
            case .notEquals:
                _ = advance()
                return .notEquals(key, try parseValue(for: key))
            case .greaterThan, .lessThan:
                let isGreater = advance() == .greaterThan
                let text = try parseValue(for: key)
                guard let bound = Int(text) else {
                    throw SelectorParseError(
                        message: "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer")
                }
                return isGreater ? .greaterThan(key, bound) : .lessThan(key, bound)
            case .inKeyword, .notInKeyword:
                let isIn = advance() == .inKeyword
                let values = try parseValueSet(for: key)
                return isIn ? .in(key, values) : .notIn(key, values)
            case let token:
                throw SelectorParseError(
                    message: "unable to parse requirement: found '\(token.text)', expected: in, notin, =, ==, !=, gt, lt")
            }
        }

        private mutating func parseKey() throws(SelectorParseError) -> String {
            guard case .identifier(let key) = advance() else {
                throw SelectorParseError(
                    message: "unable to parse requirement: found '\(tokens[max(position - 1, 0)].text)', expected: identifier")
            }
            if let problem = LabelSyntax.keyProblem(key) {
                throw SelectorParseError(message: "unable to parse requirement: key: Invalid value: \"\(key)\": \(problem)")
            }
            return key
        }

        private mutating func parseValue(for key: String) throws(SelectorParseError) -> String {
            // An empty value is allowed: `key=` selects objects whose label is the empty string.
            let value: String
            switch current {
            case .identifier(let text):
                _ = advance()
                value = text
            case .comma, .end:
                value = ""
            case let token:
                throw SelectorParseError(message: "unable to parse requirement: found '\(token.text)', expected: identifier")
            }
            if let problem = LabelSyntax.valueProblem(value) {
                throw SelectorParseError(
                    message: "unable to parse requirement: values[0][\(key)]: Invalid value: \"\(value)\": \(problem)")
            }
            return value
        }

        private mutating func parseValueSet(for key: String) throws(SelectorParseError) -> Set<String> {
            guard advance() == .openParen else {
                throw SelectorParseError(message: "unable to parse requirement: found '\(tokens[position - 1].text)', expected: '('")
            }
            var values: Set<String> = []
            while true {
                switch current {
                case .closeParen:
                    _ = advance()
                    if values.isEmpty {
                        throw SelectorParseError(
                            message: "unable to parse requirement: for 'in', 'notin' operators, values set can't be empty")
                    }
                    return values
                case .comma:
                    // `(a,,b)` and `(a,)` name the empty value, as in Kubernetes.
                    _ = advance()
                    if values.isEmpty || current == .comma || current == .closeParen { values.insert("") }
                case .identifier:
                    values.insert(try parseValue(for: key))
                case let token:
                    throw SelectorParseError(message: "unable to parse requirement: found '\(token.text)', expected: ',', ')' or identifier")
                }
            }
        }
    }
}

/// Kubernetes label key and value syntax (`validation.IsQualifiedName`, `validation.IsValidLabelValue`).
enum LabelSyntax {
    private static func isAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }

    /// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
    static func isLabelName(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && text.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// A lowercase RFC 1123 subdomain: dot-separated `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 253 characters.
    static func isDNSSubdomain(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last, part.count <= 63 else { return false }
            let allowed = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber) }
            return allowed(first) && allowed(last) && part.allSatisfy { allowed($0) || $0 == "-" }
        }
    }

    static func keyProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return isLabelName(key) ? nil : nameMessage
        case 2:
            if !isDNSSubdomain(String(parts[0])) { return "prefix part must be a lowercase RFC 1123 subdomain" }
            return isLabelName(String(parts[1])) ? nil : "name part " + nameMessage
        default:
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'"
        }
    }

    static func valueProblem(_ value: String) -> String? {
        value.isEmpty || isLabelName(value)
            ? nil
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
    }

    private static let nameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', must start and end with an alphanumeric character, and be at most 63 characters"
}
