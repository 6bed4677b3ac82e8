/// Pieces of the Prometheus text exposition format 0.0.4: escaping and number formatting.
enum PrometheusText {
    /// The `Content-Type` of a scrape response.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A label value inside double quotes: backslash, double quote and line feed are escaped.
    static func escapeLabelValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count + 4)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `# HELP` text: backslash and line feed are escaped (double quotes are not).
    static func escapeHelp(_ help: String) -> String {
        help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// A sample value as Prometheus prints it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `{a="1",b="2"}` for label pairs already sorted by name, or the empty string without labels.
    static func labelSet(_ pairs: [(name: String, value: String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
    }

    /// True for a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
    static func isValidMetricName(_ name: String) -> Bool {
        isValidName(name, extra: ":")
    }

    /// True for a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`, which is reserved).
    static func isValidLabelName(_ name: String) -> Bool {
        isValidName(name, extra: "") && !name.hasPrefix("__")
    }

    private static func isValidName(_ name: String, extra: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        func letter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || extra.unicodeScalars.contains(scalar)
        }
        return letter(first) && name.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) }
    }
}
