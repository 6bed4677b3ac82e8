import Foundation

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
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case let control where control.value < 0x20:
                output += "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count)
                    + String(control.value, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// Whether text is a JSON number literal exactly: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`.
    private static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        func digits() -> Int {
            var count = 0
            while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                bytes = bytes.dropFirst()
                count += 1
            }
            return count
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes = bytes.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            if digits() == 0 { return false }
        }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            if digits() == 0 { return false }
        }
        return bytes.isEmpty
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
