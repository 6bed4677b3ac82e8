import Foundation
import JSON
import Synchronization

/// Which namespaces exist. Strict (a configured list): the system namespaces, the configured ones and
/// those created through the API, as on a real cluster where a create in a missing namespace is 404.
/// Permissive (nil): every valid name exists, for callers that never set namespaces up.
final class NamespaceBook: Sendable {
    static let system: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease"]
    private let created: Mutex<Set<String>>
    let isStrict: Bool

    init(_ configured: Set<String>?) {
        created = Mutex(Self.system.union(configured ?? []))
        isStrict = configured != nil
    }

    func exists(_ name: String) -> Bool {
        guard LabelSyntax.isDNSSubdomain(name), !name.contains(".") else { return false }
        return !isStrict || created.withLock { $0.contains(name) }
    }

    /// Adds a namespace; false when it already existed.
    func create(_ name: String) -> Bool {
        created.withLock { $0.insert(name).inserted }
    }

    var names: Set<String> { created.withLock { $0 } }
}

extension KubeAPI {
    static func namespaceNotFound(_ name: String) -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "namespaces \"\(name)\" not found", name: name, kind: "namespaces")
    }

    /// Writes into a namespace that does not exist fail as on a real cluster.
    func requireNamespace(_ name: String) throws(KubeStatus) {
        guard namespaces.exists(name) else { throw Self.namespaceNotFound(name) }
    }

    /// Namespaces are not stored objects: GET answers for every namespace that exists (with strict
    /// namespaces, the configured and created ones; otherwise every valid name, since kubectl looks its
    /// namespace up after a NotFound).
    func namespace(_ request: APIRequest, _ name: String) throws(KubeStatus) -> APIResponse {
        guard namespaces.exists(name) else { throw Self.namespaceNotFound(name) }
        let object = Self.namespaceObject(name)
        if TableFormat.isRequested(request) {
            return .table(TableFormat.table(for: .namespaces, objects: [object], resourceVersion: nil, continueToken: nil))
        }
        return .json(object)
    }

    /// `kubectl create namespace x`: 201 with the namespace, 409 when it exists.
    func createNamespace(_ request: APIRequest) throws(KubeStatus) -> APIResponse {
        guard let body = bodyValue(request), case .object = body else {
            throw KubeStatus.badRequest("the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error")
        }
        let name = body.name
        guard LabelSyntax.isDNSSubdomain(name), !name.contains(".") else {
            throw KubeStatus(
                code: 422, reason: "Invalid", message: "Namespace \"\(name)\" is invalid: metadata.name: Invalid value: \"\(name)\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                name: name, kind: "Namespace",
                causes: [.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", field: "metadata.name")])
        }
        let isDryRun = try dryRun(request, options: "CreateOptions")
        if namespaces.isStrict, namespaces.exists(name) {
            throw KubeStatus(code: 409, reason: "AlreadyExists", message: "namespaces \"\(name)\" already exists", name: name, kind: "namespaces")
        }
        if !isDryRun { _ = namespaces.create(name) }
        return .json(Self.namespaceObject(name), status: 201)
    }

    func namespaceList(_ request: APIRequest) -> APIResponse {
        var names: Set<String> = namespaces.isStrict ? namespaces.names : ["default", "kube-system", "kube-public"]
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
