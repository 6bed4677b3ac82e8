import Foundation
import GatewayCore
import JSON
import Testing
import YAML

/// Checks a JSON object against an OpenAPI v3 structural schema (a CRD's `openAPIV3Schema`), reporting
/// fields the API server would prune, missing required fields, wrong types, enum and minimum violations.
/// It takes the schema as a parsed tree, whichever parser produced it.
struct SchemaChecker {
    let schema: ConfigurationTree

    /// The `openAPIV3Schema` of the first version of a CRD document.
    init(crd: ConfigurationTree) throws {
        guard case .mapping(let root) = crd, case .mapping(let spec)? = root["spec"],
            case .sequence(let versions)? = spec["versions"], case .mapping(let version)? = versions.first,
            case .mapping(let schemaWrapper)? = version["schema"], let schema = schemaWrapper["openAPIV3Schema"]
        else { throw CheckerError.noSchema }
        self.schema = schema
    }

    enum CheckerError: Error { case noSchema }

    /// Problems, each naming the JSON path.
    func problems(in value: JSONValue) -> [String] {
        var problems: [String] = []
        check(value, against: schema, path: "", problems: &problems)
        return problems
    }

    private func check(_ value: JSONValue, against schema: ConfigurationTree, path: String, problems: inout [String]) {
        guard case .mapping(let s) = schema else { return }
        if case .scalar("true")? = s["x-kubernetes-preserve-unknown-fields"] { return }
        if case .scalar("true")? = s["x-kubernetes-int-or-string"] {
            switch value {
            case .string: return
            case .number(let number) where number.isInteger: return
            default:
                problems.append("\(path): expected int or string")
                return
            }
        }
        if case .sequence(let options)? = s["anyOf"] {
            for option in options {
                var sub: [String] = []
                check(value, against: option, path: path, problems: &sub)
                if sub.isEmpty { return }
            }
            problems.append("\(path): matches none of anyOf")
            return
        }
        let type: String? = if case .scalar(let t)? = s["type"] { t } else { nil }
        switch (type, value) {
        case ("object", .object(let object)):
            if path == ".metadata" { return }  // ObjectMeta is validated by the API server itself.
            let properties: [String: ConfigurationTree] = if case .mapping(let p)? = s["properties"] { p } else { [:] }
            let additional = s["additionalProperties"]
            if case .sequence(let required)? = s["required"] {
                for case .scalar(let name) in required where object[name] == nil {
                    problems.append("\(path): missing required field \(name)")
                }
            }
            for (key, child) in object {
                if let property = properties[key] {
                    check(child, against: property, path: "\(path).\(key)", problems: &problems)
                } else if let additional {
                    check(child, against: additional, path: "\(path).\(key)", problems: &problems)
                } else {
                    problems.append("\(path).\(key): not in the schema (would be pruned)")
                }
            }
        case ("array", .array(let items)):
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)[\(i)]", problems: &problems)
                }
            }
        case ("string", .string(let string)):
            if case .sequence(let allowed)? = s["enum"], !allowed.contains(.scalar(string)) {
                problems.append("\(path): \"\(string)\" not in enum")
            }
        case ("integer", .number(let number)) where number.isInteger:
            if case .scalar(let min)? = s["minimum"], let minimum = Int64(min), let int = number.int64Value, int < minimum {
                problems.append("\(path): \(int) below minimum \(minimum)")
            }
        case ("number", .number), ("boolean", .bool):
            break
        case (nil, _):
            break
        default:
            problems.append("\(path): expected \(type ?? "?"), got \(value)")
        }
    }

    /// The real CRD, read at test time. Throws when it cannot be found or read; tests that need it
    /// carry `.enabled(if: SchemaChecker.realCRDIsAvailable, SchemaChecker.realCRDMissing)` so a
    /// checkout without it reports them as skipped rather than failed.
    static func loadRealCRD() throws -> SchemaChecker {
        guard let location = realCRDLocation else { throw CheckerError.noSchema }
        return try SchemaChecker(crd: YAMLDecoder().decode(ConfigurationTree.self, from: Data(contentsOf: location)))
    }

    /// The environment variable naming the CRD file (or a folder holding `sparkapplications.yaml`).
    static let crdPathVariable = "BPG_CRD_PATH"

    /// Where the real `SparkApplication` CRD is: the path in `BPG_CRD_PATH` when that is set (even if
    /// wrong, so a mistyped path fails the tests instead of skipping them), else
    /// `shared/reference/crd/sparkapplications.yaml` in the nearest ancestor of the package root that
    /// holds it (`../shared/reference/crd/` beside the repository; worktrees find it too); else nil.
    static let realCRDLocation: URL? = {
        let file = "sparkapplications.yaml"
        if let variable = ProcessInfo.processInfo.environment[crdPathVariable], !variable.isEmpty {
            var isDirectory: ObjCBool = false
            let url = URL(fileURLWithPath: variable)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return url.appendingPathComponent(file)
            }
            return url
        }
        let relative = "shared/reference/crd/" + file
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { directory.deleteLastPathComponent() }  // Support, GatewayCoreTests, Tests → package root
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    /// Whether the tests that validate against the real CRD can run.
    static var realCRDIsAvailable: Bool { realCRDLocation != nil }

    /// Why those tests are skipped when they cannot run.
    static let realCRDMissing: Comment = """
        needs the real SparkApplication CRD: set BPG_CRD_PATH to sparkapplications.yaml, or put it at \
        ../shared/reference/crd/ beside the repository
        """
}
