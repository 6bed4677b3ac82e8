import Foundation
import JSON

extension YAMLNode {
    /// The node as `JSONSerialization`-style values: `[String: Any]`, `[Any]`, `String`, `Int`,
    /// `Double`, `Bool` and `NSNull`.
    ///
    /// Plain scalars follow YAML 1.2's core schema: `true`/`false` (any case spelling) are booleans,
    /// integer literals that fit `Int` are `Int`, float literals are `Double` (`.inf`/`.nan` included,
    /// which JSON cannot carry), everything else is a `String`. Quoted and block scalars are strings.
    /// `yes`/`no`/`on`/`off` stay strings. Mapping keys become their text.
    public func jsonObject() -> Any {
        switch self {
        case .null:
            return NSNull()
        case .scalar(let scalar):
            switch JSONScalar(scalar) {
            case .string(let text): return text
            case .bool(let value): return value
            case .integer(let value, _): return value
            case .double(let value, _): return value
            }
        case .sequence(let sequence):
            return sequence.elements.map { $0.jsonObject() }
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            for entry in mapping.entries { object[entry.key.keyText] = entry.value.jsonObject() }
            return object
        }
    }

    /// The node as JSON text (UTF-8), keeping mapping order and the source text of numbers when it is
    /// already valid JSON. Typing follows `jsonObject()`.
    ///
    /// - Throws: `YAMLError` with code `.notRepresentable` for `.inf` and `.nan`.
    public func jsonData() throws -> Data {
        var output = ""
        try writeJSON(to: &output)
        return Data(output.utf8)
    }

    private func writeJSON(to output: inout String) throws {
        switch self {
        case .null:
            output += "null"
        case .scalar(let scalar):
            switch JSONScalar(scalar) {
            case .string(let text): Self.writeJSONString(text, to: &output)
            case .bool(let value): output += value ? "true" : "false"
            case .integer(let value, let text): output += Self.isJSONNumber(text) ? text : String(value)
            case .double(let value, let text):
                guard value.isFinite else {
                    throw YAMLError(.notRepresentable, at: scalar.mark, "JSON cannot represent \(scalar.text)")
                }
                output += Self.isJSONNumber(text) ? text : "\(value)"
            }
        case .sequence(let sequence):
            output += "["
            for (position, element) in sequence.elements.enumerated() {
                if position > 0 { output += "," }
                try element.writeJSON(to: &output)
            }
            output += "]"
        case .mapping(let mapping):
            output += "{"
            for (position, entry) in mapping.entries.enumerated() {
                if position > 0 { output += "," }
                Self.writeJSONString(entry.key.keyText, to: &output)
                output += ":"
                try entry.value.writeJSON(to: &output)
            }
            output += "}"
        }
    }

    private static func writeJSONString(_ text: String, to output: inout String) {
        output += JSONWriter.quoted(text)
    }

    /// Whether text is a JSON number literal exactly (RFC 8259's grammar).
    private static func isJSONNumber(_ text: String) -> Bool {
        JSONNumber(text: text) != nil
    }
}

/// A scalar typed by YAML 1.2's core schema, for JSON conversion.
private enum JSONScalar {
    case string(String)
    case bool(Bool)
    case integer(Int, text: String)
    case double(Double, text: String)

    init(_ scalar: YAMLScalar) {
        let text = scalar.text
        switch scalar.tag {
        case nil where scalar.style == .plain, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool":
            if let value = ScalarForms.coreBool(text) {
                self = .bool(value)
            } else if case .value(let value) = ScalarForms.integer(text, as: Int.self) {
                self = .integer(value, text: text)
            } else if let value = ScalarForms.double(text) {
                self = .double(value, text: text)
            } else {
                self = .string(text)
            }
        default:
            self = .string(text)
        }
    }
}
