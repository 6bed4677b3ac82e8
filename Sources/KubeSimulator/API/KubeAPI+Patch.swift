import Foundation
import JSON

extension KubeAPI {
    /// The patch formats a resource accepts, by `Content-Type`; custom resources have no strategic
    /// merge (the API server knows no patch strategy for their fields).
    private enum PatchType: String {
        case json = "application/json-patch+json"
        case merge = "application/merge-patch+json"
        case strategic = "application/strategic-merge-patch+json"
    }

    /// `PATCH` of an object or its `/status`: applies the patch to the stored object and writes the
    /// result as an update (pruned, defaulted, validated), retrying when a concurrent write moved the
    /// object on, as the API server does unless the patch itself names a resourceVersion.
    func patch(
        _ request: APIRequest, _ resource: ResourceType, namespace: String, name: String, statusOnly: Bool = false
    ) throws(KubeStatus) -> APIResponse {
        let isDryRun = try dryRun(request, options: "PatchOptions")
        let isCustom = resource == .sparkApplications
        let contentType = (request.header("Content-Type") ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard let type = PatchType(rawValue: contentType), !(isCustom && type == .strategic) else {
            let accepted =
                isCustom
                ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"
            throw KubeStatus(
                code: 415, reason: "UnsupportedMediaType",
                message: "the body of the request was in an unknown format - accepted media types include: \(accepted)")
        }
        guard let patch = try? JSONValue(parsing: request.body) else {
            throw KubeStatus.badRequest("error decoding patch: invalid JSON")
        }
        if type != .json, patch.objectValue == nil {
            throw KubeStatus.badRequest("json: cannot unmarshal \(patch.kindName) into Go value of type map[string]interface {}")
        }
        var attempts = 0
        while true {
            attempts += 1
            let current = try store.get(resource, namespace: namespace, name: name)
            var patched: JSONValue
            switch type {
            case .merge:
                patched = Patch.merge(current, patch)
            case .strategic:
                patched = Patch.strategicMerge(current, patch)
            case .json:
                do {
                    patched = try Patch.jsonPatch(current, patch)
                } catch {
                    if error.isParseError { throw KubeStatus.badRequest(error.message) }
                    throw KubeStatus(code: 422, reason: "Invalid", message: error.message)
                }
            }
            guard case .object = patched else {
                throw KubeStatus.badRequest("the patched object is not a JSON object")
            }
            let named = patched[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
            let conditional = !named.isEmpty && named != current[path: ["metadata", "resourceVersion"]]?.stringValue
            if !conditional {
                // Unconditional patch: pin it to the version it was computed from, retry on conflict.
                patched[path: ["metadata", "resourceVersion"]] = current[path: ["metadata", "resourceVersion"]]
            }
            if patched[path: ["metadata", "name"]]?.stringValue != name {
                throw KubeStatus.badRequest("the name of the object (\(patched.name)) does not match the name on the URL (\(name))")
            }
            if let kind = patched["kind"], kind != .string(resource.kind) {
                throw KubeStatus.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): kind \(kind.jsonString()) does not match")
            }
            do {
                return try write(
                    patched, over: current, request, resource, namespace: namespace, name: name, statusOnly: statusOnly, dryRun: isDryRun)
            } catch where error.reason == "Conflict" && !conditional && attempts < 5 {
                continue
            }
        }
    }
}
