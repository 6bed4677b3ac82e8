import Foundation
import JSON

extension KubeAPI {
    /// Namespaces are not stored: every valid name exists and is Active (kubectl looks its namespace up
    /// after a NotFound). The list shows the usual system namespaces plus those holding objects.
    func namespace(_ request: APIRequest, _ name: String) throws(KubeStatus) -> APIResponse {
        guard LabelSyntax.isDNSSubdomain(name), !name.contains(".") else {
            throw KubeStatus(code: 404, reason: "NotFound", message: "namespaces \"\(name)\" not found", name: name, kind: "namespaces")
        }
        let object = Self.namespaceObject(name)
        if TableFormat.isRequested(request) {
            return .table(TableFormat.table(for: .namespaces, objects: [object], resourceVersion: nil, continueToken: nil))
        }
        return .json(object)
    }

    func namespaceList(_ request: APIRequest) -> APIResponse {
        var names: Set<String> = ["default", "kube-system", "kube-public"]
        for resource in ResourceType.all {
            for object in (try? store.list(resource, filter: ObjectFilter()))?.items ?? [] { names.insert(object.namespace) }
        }
        let objects = names.sorted().map(Self.namespaceObject)
        let version = store.resourceVersion
        if TableFormat.isRequested(request) {
            return .table(TableFormat.table(for: .namespaces, objects: objects, resourceVersion: version, continueToken: nil))
        }
        return .json([
            "kind": "NamespaceList", "apiVersion": "v1", "metadata": ["resourceVersion": .string(String(version))],
            "items": .array(objects.map { Self.listItem($0, .namespaces) }),
        ])
    }

    static func namespaceObject(_ name: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": [
                "name": .string(name), "uid": .string(UUID(namespaceName: name).uuidString.lowercased()), "resourceVersion": "1",
                "creationTimestamp": "2026-01-01T00:00:00Z", "labels": ["kubernetes.io/metadata.name": .string(name)],
            ],
            "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
        ]
    }
}

extension UUID {
    /// A stable UUID per namespace name, so repeated reads agree.
    fileprivate init(namespaceName: String) {
        var bytes = [UInt8](repeating: 0, count: 16)
        for (index, byte) in namespaceName.utf8.enumerated() { bytes[index % 16] = bytes[index % 16] &* 31 &+ byte }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                         bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
