import Foundation
import JSON
import Testing
import YAML

@testable import KubeSimulator

/// Ground truth for the schema tests, computed from the CRD independently of the simulator's
/// `StructuralSchema`: a small reading of the raw `openAPIV3Schema` that tells which fields a real
/// API server would reject (by path) and which it would prune as unknown. Required fields that carry
/// a default, and `null`s the schema does not declare nullable, count as absent, as after defaulting.
struct SchemaOracle {
    let schema: JSONValue
    let crdData: Data

    struct Verdict: Equatable {
        var rejected: Set<String> = []
        var unknown: Set<String> = []
    }

    init() throws {
        guard let location = Self.crdLocation else { throw Missing() }
        crdData = try Data(contentsOf: location)
        let documents = try YAML.parse(crdData)
        let crd = try documents.map { try JSONValue(parsing: $0.jsonData()) }.first { $0["kind"] == "CustomResourceDefinition" }
        guard let schema = crd?[path: ["spec", "versions"]]?[0]?[path: ["schema", "openAPIV3Schema"]] else { throw Missing() }
        self.schema = schema
    }

    struct Missing: Error {}

    func verdict(_ object: JSONValue) -> Verdict {
        var verdict = Verdict()
        guard let members = object.objectValue else { return verdict }
        for case .string(let name) in schema["required"]?.arrayValue ?? [] where members[name] == nil {
            verdict.rejected.insert(name)
        }
        for (key, value) in members {
            switch key {
            case "apiVersion", "kind":
                continue
            case "metadata":
                let known: Set<String> = [
                    "name", "generateName", "namespace", "labels", "annotations", "uid", "resourceVersion", "generation",
                    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences", "finalizers",
                    "managedFields", "selfLink",
                ]
                for field in value.objectValue?.keys ?? [] where !known.contains(field) { verdict.unknown.insert("metadata.\(field)") }
            case "status":
                continue  // dropped on create: the CRD has the status subresource
            default:
                guard let property = schema["properties"]?[key] else {
                    verdict.unknown.insert(key)
                    continue
                }
                check(value, property, key, &verdict)
            }
        }
        return verdict
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ verdict: inout Verdict) {
        if value == .null {
            if schema["nullable"] != true { verdict.rejected.insert(path) }
            return
        }
        let intOrString = schema["x-kubernetes-int-or-string"] == true
        let type = schema["type"]?.stringValue
        let typeFits: Bool
        switch value {
        case .string: typeFits = intOrString || type == "string" || (type == nil && !intOrString)
        case .bool: typeFits = type == "boolean" || (type == nil && !intOrString)
        case .number(let number):
            let integral = number.int64Value != nil
            typeFits = (type == "number") || ((type == "integer" || intOrString) && integral) || (type == nil && !intOrString)
        case .array: typeFits = type == "array" || (type == nil && !intOrString)
        case .object: typeFits = type == "object" || (type == nil && !intOrString)
        case .null: typeFits = true
        }
        guard typeFits else {
            verdict.rejected.insert(path)
            return
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) { verdict.rejected.insert(path) }
        if let number = value.doubleValue {
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { verdict.rejected.insert(path) }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum { verdict.rejected.insert(path) }
        }
        if case .string(let text) = value, let pattern = schema["pattern"]?.stringValue,
            let regex = try? NSRegularExpression(pattern: pattern),
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
        {
            verdict.rejected.insert(path)
        }
        switch value {
        case .object(let members):
            let properties = schema["properties"]?.objectValue
            for case .string(let name) in schema["required"]?.arrayValue ?? [] {
                let present = members[name].map { $0 != .null || properties?[name]?["nullable"] == true } ?? false
                if !present, properties?[name]?["default"] == nil { verdict.rejected.insert("\(path).\(name)") }
            }
            for (key, child) in members {
                let childPath = "\(path).\(key)"
                if let property = properties?[key] {
                    if child == .null, property["nullable"] != true { continue }  // pruned
                    check(child, property, childPath, &verdict)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    check(child, additional, childPath, &verdict)
                } else if schema["x-kubernetes-preserve-unknown-fields"] != true {
                    verdict.unknown.insert(childPath)
                }
            }
        case .array(let elements):
            guard let items = schema["items"] else { return }
            for (index, element) in elements.enumerated() { check(element, items, "\(path)[\(index)]", &verdict) }
            if schema["x-kubernetes-list-type"] == "map", let keys = schema["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) {
                var seen: [[JSONValue?]] = []
                for (index, element) in elements.enumerated() {
                    let key = keys.map { element[$0] }
                    if seen.contains(key) { verdict.rejected.insert("\(path)[\(index)]") } else { seen.append(key) }
                }
            } else if schema["x-kubernetes-list-type"] == "set" {
                for (index, element) in elements.enumerated() where elements[..<index].contains(element) {
                    verdict.rejected.insert("\(path)[\(index)]")
                }
            }
        default:
            break
        }
    }

    /// The environment variable naming the CRD file (or a folder holding `sparkapplications.yaml`).
    static let crdPathVariable = "BPG_CRD_PATH"

    /// The real CRD: `BPG_CRD_PATH` when set (even if wrong, so a mistyped path fails instead of
    /// skipping), else `shared/reference/crd/sparkapplications.yaml` in the nearest ancestor of the
    /// package root that holds it; else nil.
    static let crdLocation: URL? = {
        let file = "sparkapplications.yaml"
        if let variable = ProcessInfo.processInfo.environment[crdPathVariable], !variable.isEmpty {
            var isDirectory: ObjCBool = false
            let url = URL(fileURLWithPath: variable)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url.appendingPathComponent(file)
            }
            return url
        }
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { directory.deleteLastPathComponent() }  // Support, KubeSimulatorTests, Tests → package root
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/reference/crd/" + file)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { crdLocation != nil }

    static let missing: Comment = """
        needs the real SparkApplication CRD: set BPG_CRD_PATH to sparkapplications.yaml, or put it at \
        ../shared/reference/crd/ beside the repository
        """

    /// Read once: the CRD is large, and every table row needs it.
    private static let sharedOracle = Result(catching: { try SchemaOracle() })
    private static let sharedCRD = Result(catching: { () throws -> CustomResourceDefinition in
        guard let location = crdLocation else { throw Missing() }
        return try CustomResourceDefinition(contentsOf: location)
    })

    static func load() throws -> SchemaOracle { try sharedOracle.get() }

    /// The simulator's reading of the same file.
    static func loadCRD() throws -> CustomResourceDefinition { try sharedCRD.get() }
}
