import Foundation
import JSON

/// Writes a JSON value as block-style YAML, keys sorted: the gateway's `/describe` (BPG prints the
/// spec as YAML there) and the `bpg` client's `--output yaml`. Strings are quoted whenever a plain
/// scalar could be read back as something else, so the text parses back to the same value.
///
/// ```swift
/// YAMLWriter.yaml(["queue": "dev", "instances": 2] as JSONValue)   // "instances: 2\nqueue: dev\n"
/// ```
public enum YAMLWriter {
    /// YAML for any encodable value (through its JSON form); empty when it does not encode.
    public static func yaml(_ value: some Encodable) -> String {
        guard let tree = try? JSONValueEncoder().encodeValue(value) else { return "" }
        return yaml(tree)
    }

    /// YAML for a JSON value.
    public static func yaml(_ tree: JSONValue) -> String {
        var output = ""
        write(tree, indent: 0, into: &output, inlineStart: false)
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String, inlineStart: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let dictionary) where !dictionary.isEmpty:
            var first = true
            for key in dictionary.keys.sorted() {
                output += ((inlineStart && first) ? "" : pad) + scalar(key) + ":"
                first = false
                let child = dictionary[key]!
                if isNonEmptyCollection(child) {
                    output += "\n"
                    write(child, indent: indent + 1, into: &output, inlineStart: false)
                } else {
                    output += " " + inlineScalar(child) + "\n"
                }
            }
        case .array(let array) where !array.isEmpty:
            var first = true
            for element in array {
                output += ((inlineStart && first) ? "" : pad) + "- "
                first = false
                if isNonEmptyCollection(element) {
                    write(element, indent: indent + 1, into: &output, inlineStart: true)
                } else {
                    output += inlineScalar(element) + "\n"
                }
            }
        default:
            output += inlineScalar(value) + "\n"
        }
    }

    private static func isNonEmptyCollection(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let dictionary): !dictionary.isEmpty
        case .array(let array): !array.isEmpty
        default: false
        }
    }

    private static func inlineScalar(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number): number.text
        case .string(let string): scalar(string)
        case .object: "{}"
        case .array: "[]"
        }
    }

    /// A plain scalar when it reads back as the same string, else a double-quoted one.
    public static func scalar(_ text: String) -> String {
        let reserved: Set<String> = ["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
            "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"]
        let first = text.unicodeScalars.first
        let needsQuotes =
            reserved.contains(text) || Double(text) != nil || Int(text) != nil
            || text.hasPrefix(" ") || text.hasSuffix(" ") || text.hasPrefix("0x")
            || first.map { "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains($0) } == true
            || text.contains(": ") || text.contains(" #") || text.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{7F}" }
        guard needsQuotes else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            case let c where c.value < 0x20 || c.value == 0x7F: quoted += String(format: "\\x%02X", c.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
