import Foundation

/// BPG's Spark conf layering (bpg.md §4.3): defaults → cluster → request → fixed → `spark.app.name`.
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
        if var defaults {
            let gate = defaults["RangerOnCustomImage"] ?? ""
            if customImage, gate.caseInsensitiveCompare("On") != .orderedSame {
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
        value.contains(placeholder) ? value.replacingOccurrences(of: placeholder, with: submissionId) : value
    }
}
