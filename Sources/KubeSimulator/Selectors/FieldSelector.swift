import Foundation
import JSON

/// A parsed field selector (the `fieldSelector` query parameter): comma-separated `field=value`,
/// `field==value` or `field!=value` terms over dotted paths of the object, all of which must hold.
/// Which fields a resource supports is the resource's business (`ResourceType.selectableFields`).
public struct FieldSelector: Sendable, Hashable {
    /// One term.
    public struct Term: Sendable, Hashable {
        /// The dotted field path ("involvedObject.name").
        public var field: String {
            didSet { path = field.split(separator: ".").map(String.init) }
        }
        /// The value compared with.
        public var value: String
        /// `!=` rather than `=`.
        public var negated: Bool
        /// `field` split at the dots, once.
        var path: [String]

        /// A term comparing `field` with `value`.
        public init(field: String, value: String, negated: Bool) {
            self.field = field
            self.value = value
            self.negated = negated
            self.path = field.split(separator: ".").map(String.init)
        }
    }

    /// The terms, all of which must hold.
    public var terms: [Term]

    /// A selector from already-built terms (none: everything).
    public init(terms: [Term]) {
        self.terms = terms
    }

    /// Parses selector text; throws `SelectorParseError` naming the bad term.
    public init(parsing text: String) throws(SelectorParseError) {
        terms = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let term = part.trimmingCharacters(in: .whitespaces)
            if term.isEmpty { continue }
            let pieces: (String, String, Bool)
            if let range = term.range(of: "!=") {
                pieces = (String(term[..<range.lowerBound]), String(term[range.upperBound...]), true)
            } else if let range = term.range(of: "==") {
                pieces = (String(term[..<range.lowerBound]), String(term[range.upperBound...]), false)
            } else if let range = term.range(of: "=") {
                pieces = (String(term[..<range.lowerBound]), String(term[range.upperBound...]), false)
            } else {
                throw SelectorParseError(message: "invalid selector: '\(text)'; can't understand '\(term)'")
            }
            let field = pieces.0.trimmingCharacters(in: .whitespaces)
            if field.isEmpty {
                throw SelectorParseError(message: "invalid selector: '\(text)'; can't understand '\(term)'")
            }
            terms.append(Term(field: field, value: pieces.1.trimmingCharacters(in: .whitespaces), negated: pieces.2))
        }
    }

    /// Whether `object` satisfies every term; a missing field reads as the empty string.
    public func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual = Self.fieldValue(object, term.path)
            return term.negated ? actual != term.value : actual == term.value
        }
    }

    static func fieldValue(_ object: JSONValue, _ path: [String]) -> String {
        let value = object[path: path]
        switch value {
        case .string(let text): return text
        case .number(let number) where number.isInteger: return number.text
        case .bool(let flag): return flag ? "true" : "false"
        default: return ""
        }
    }
}
