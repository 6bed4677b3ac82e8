import JSON

/// The discovery documents kubectl and client libraries read to learn which resources exist.
enum Discovery {
    static let version: JSONValue = [
        "major": "1", "minor": "30", "gitVersion": "v1.30.0+kubesimulator", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-11-25T00:00:00Z", "goVersion": "go1.22.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]

    static var paths: [String] {
        var paths = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"]
        for group in groups { paths += ["/apis/\(group.name)", "/apis/\(group.name)/\(group.version)"] }
        return paths.sorted()
    }

    static let apiVersions: JSONValue = [
        "kind": "APIVersions", "versions": ["v1"],
        "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"]],
    ]

    private static var groups: [(name: String, version: String)] {
        var seen: [(String, String)] = []
        for resource in ResourceType.all where !resource.group.isEmpty && !seen.contains(where: { $0.0 == resource.group }) {
            seen.append((resource.group, resource.version))
        }
        return seen
    }

    private static func groupObject(_ name: String, _ version: String) -> JSONValue {
        let groupVersion: JSONValue = ["groupVersion": .string("\(name)/\(version)"), "version": .string(version)]
        return ["name": .string(name), "versions": [groupVersion], "preferredVersion": groupVersion]
    }

    static var apiGroupList: JSONValue {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map { groupObject($0.name, $0.version) })]
    }

    static func apiGroup(_ name: String) -> JSONValue {
        var group = groupObject(name, groups.first { $0.name == name }?.version ?? "v1")
        group["kind"] = "APIGroup"
        group["apiVersion"] = "v1"
        return group
    }

    /// - Parameter categories: the SparkApplication CRD's `spec.names.categories` (the real CRD names
    ///   none, so `kubectl get all` does not list applications).
    static func resourceList(group: String, version: String, categories: [String] = []) -> JSONValue {
        var resources: [JSONValue] = []
        for resource in ResourceType.all where resource.group == group && resource.version == version {
            var entry: JSONValue = [
                "name": .string(resource.plural), "singularName": .string(resource.singular), "namespaced": true,
                "kind": .string(resource.kind), "verbs": .array(resource.verbs.map(JSONValue.string)),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map(JSONValue.string)) }
            if resource == .sparkApplications, !categories.isEmpty { entry["categories"] = .array(categories.map(JSONValue.string)) }
            if resource == .pods { entry["categories"] = ["all"] }
            resources.append(entry)
            if resource == .sparkApplications {
                resources.append([
                    "name": "sparkapplications/status", "singularName": "", "namespaced": true, "kind": "SparkApplication",
                    "verbs": ["get", "patch", "update"],
                ])
            }
            if resource == .pods {
                resources.append(["name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]])
                resources.append([
                    "name": "pods/status", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get", "patch", "update"],
                ])
            }
        }
        if group.isEmpty {
            resources.append([
                "name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace", "verbs": ["create", "get", "list"],
                "shortNames": ["ns"],
            ])
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }
}
