import Foundation
import JSON
import YAML

/// `--output`: how results are printed.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns sized to the terminal (key/value rows for a single object).
    case table
    /// The gateway's JSON, indented.
    case json
    /// The same document as YAML.
    case yaml

    /// Prints a document in this format; `table` is the caller's (it knows the columns).
    func document(_ value: JSONValue) -> String {
        switch self {
        case .json, .table: value.jsonString(JSONFormat(prettyPrinted: true)) + "\n"
        case .yaml: YAMLWriter.yaml(value)
        }
    }
}

/// Cell text for tables.
enum Cell {
    /// A JSON member as table text: strings bare, numbers as written, nothing for null or absent.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .none, .some(.null): ""
        case .some(.string(let text)): text
        case .some(.number(let number)): number.text
        case .some(.bool(let flag)): flag ? "true" : "false"
        case .some(let other): other.jsonString()
        }
    }

    /// Epoch milliseconds as a UTC time (`2026-12-03 18:04:05`).
    static func time(_ value: JSONValue?) -> String {
        guard let millis = value?.int64Value else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// Milliseconds as `1h02m`, `3m05s`, `12s`.
    static func duration(_ value: JSONValue?) -> String {
        guard let millis = value?.int64Value, millis >= 0 else { return "" }
        let seconds = millis / 1000
        if seconds >= 3600 { return "\(seconds / 3600)h\(String(format: "%02d", seconds / 60 % 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
        return "\(seconds)s"
    }
}
