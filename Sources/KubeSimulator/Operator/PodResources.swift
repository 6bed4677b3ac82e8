import Foundation
import JSON

/// The resources Spark puts on a driver or executor container, and the QoS class Kubernetes derives:
/// CPU request `coreRequest` (else `cores`, default 1), CPU limit `coreLimit` when set, memory request
/// and limit `memory` (default 1g) plus the overhead (`memoryOverhead`, else the factor — 0.1 for JVM
/// applications, 0.4 for Python and R — times the memory, at least 384 MiB).
struct PodResources {
    var cpuRequest: String
    var cpuLimit: String?
    var memoryMiB: Int

    init(application: JSONValue, role: String) {
        let spec = application[path: ["spec", role]]
        cpuRequest = spec?["coreRequest"]?.stringValue ?? String(spec?["cores"]?.intValue ?? 1)
        cpuLimit = spec?["coreLimit"]?.stringValue
        let memory = spec?["memory"]?.stringValue.flatMap(Self.mebibytes) ?? 1024
        let type = application[path: ["spec", "type"]]?.stringValue ?? "Scala"
        let factor =
            application[path: ["spec", "memoryOverheadFactor"]]?.stringValue.flatMap(Double.init)
            ?? (type == "Python" || type == "R" ? 0.4 : 0.1)
        let overhead = spec?["memoryOverhead"]?.stringValue.flatMap(Self.mebibytes) ?? max(384, Int(Double(memory) * factor))
        memoryMiB = memory + overhead
    }

    /// `Guaranteed` when the CPU limit equals the request (memory's always does), else `Burstable`.
    var qosClass: String { cpuLimit.map { Self.millicores($0) == Self.millicores(cpuRequest) && $0 != "" } == true ? "Guaranteed" : "Burstable" }

    var json: JSONValue {
        var limits: [String: JSONValue] = ["memory": .string("\(memoryMiB)Mi")]
        if let cpuLimit { limits["cpu"] = .string(cpuLimit) }
        return [
            "requests": ["cpu": .string(cpuRequest), "memory": .string("\(memoryMiB)Mi")],
            "limits": .object(JSONObject(limits)),
        ]
    }

    /// Spark's memory strings (`512m`, `2g`, `1024`, `2Gi`) in MiB; nil when unreadable.
    static func mebibytes(_ text: String) -> Int? {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        let digits = lower.prefix { $0.isNumber }
        guard let value = Int(digits) else { return nil }
        switch lower.dropFirst(digits.count) {
        case "", "m", "mb", "mi": return value
        case "k", "kb", "ki": return max(value / 1024, 1)
        case "g", "gb", "gi": return value * 1024
        case "t", "tb", "ti": return value * 1024 * 1024
        default: return nil
        }
    }

    /// A CPU quantity (`1`, `500m`, `1.5`) in millicores; nil when unreadable.
    static func millicores(_ text: String) -> Int? {
        if text.hasSuffix("m") { return Int(text.dropLast()) }
        return Double(text).map { Int(($0 * 1000).rounded()) }
    }
}
