import Foundation

/// BPG's Spark conf layering (docs/bpg-compatibility.md, "Spark conf layers"): defaults → cluster →
/// request → fixed → `spark.app.name`.
public enum SparkConfMerger {
    /// Replaced by the submission id in default and cluster values.
    public static let placeholder = "{spark-application-resource-name}"
    /// Default keys dropped for custom images unless `RangerOnCustomImage: On`.
    public static let rangerKeys = ["spark.sql.extensions", "spark.ranger.plugin.spark.env"]

    /// The merged conf; nil only when every layer is nil and there is no application name.
    public static func merge(
        defaults: [String: String]?, cluster: [String: String]?, request: [String: String]?,
        fixed: [String: String]?, applicationName: String?, submissionId: String, customImage: Bool
    ) -> [String: String]? {
        let name = (applicationName ?? "").isEmpty ? nil : applicationName
        if defaults == nil, cluster == nil, request == nil, fixed == nil, name == nil { return nil }
        var result: [String: String] = [:]
        result.reserveCapacity(
            (defaults?.count ?? 0) + (cluster?.count ?? 0) + (request?.count ?? 0) + (fixed?.count ?? 0) + 1)
        if var defaults {
            let gate = defaults["RangerOnCustomImage"] ?? ""
            if customImage, !gate.equalsIgnoringCase("On") {
                for key in rangerKeys { defaults[key] = nil }
            }
            for (key, value) in defaults { result[key] = substitute(value, submissionId) }
        }
        for (key, value) in cluster ?? [:] { result[key] = substitute(value, submissionId) }
        for (key, value) in request ?? [:] { result[key] = value }
        for (key, value) in fixed ?? [:] { result[key] = value }
        if let name { result["spark.app.name"] = name }
        return result
    }

    static func substitute(_ value: String, _ submissionId: String) -> String {
        value.utf8.contains(123) ? value.replacingAll(placeholder, with: submissionId) : value
    }

    /// The length of `value` once the placeholder is replaced by an id of `submissionIdLength` bytes.
    static func substitutedLength(_ value: String, submissionIdLength: Int) -> Int {
        if value == placeholder { return submissionIdLength }
        if !value.utf8.contains(123) { return value.utf8.count }
        let bytes = Array(value.utf8)
        let needle = Array(placeholder.utf8)
        var count = 0
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], bytes[i..<i + needle.count].elementsEqual(needle) {
                count += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return bytes.count + count * (submissionIdLength - needle.count)
    }
}
