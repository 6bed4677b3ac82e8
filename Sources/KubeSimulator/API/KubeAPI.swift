import Foundation
import JSON
import Logging

/// The simulated Kubernetes API: maps requests to the object store the way kube-apiserver does
/// (paths, verbs, query parameters, status codes, `metav1.Status` bodies, watch streams), with bearer
/// token authentication and injected faults in front. Transport-independent; `SimulatedCluster`
/// serves it over HTTP(S).
final class KubeAPI: Sendable {
    struct Settings: Sendable {
        var bearerToken: String?
        /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK (the real server: about a minute).
        var bookmarkInterval: Duration = .seconds(1)
        /// How long a watch without `timeoutSeconds` stays open (the real server: 30–60 minutes).
        var defaultWatchTimeout: Duration = .seconds(1800)
        var logger: Logger = .disabled
        /// The SparkApplication CRD whose structural schema prunes, defaults and validates; nil keeps the
        /// built-in checks of `SparkApplicationValidator`.
        var crd: CustomResourceDefinition?
        /// How long a watch from a resourceVersion newer than the store's waits for it (the watch cache: 3 s).
        var futureVersionWait: Duration = .seconds(3)
        /// The longest a deleted pod stays Terminating (its grace period, capped by this); zero: at once.
        var podGracePeriodLimit: Duration = .zero
        /// The namespaces that exist besides the system ones; nil: every valid name exists.
        var namespaces: Set<String>?
    }

    let store: ObjectStore
    let logs: PodLogStore
    let faults: FaultInjector
    let settings: Settings
    let namespaces: NamespaceBook

    init(store: ObjectStore, logs: PodLogStore, faults: FaultInjector, settings: Settings) {
        self.store = store
        self.logs = logs
        self.faults = faults
        self.settings = settings
        self.namespaces = NamespaceBook(settings.namespaces)
    }

    /// Where a request path leads.
    enum Route: Equatable {
        case root, version, health
        case apiVersions, apiGroupList
        case apiGroup(String)
        case resourceList(group: String, version: String)
        case collection(ResourceType, namespace: String?)
        case item(ResourceType, namespace: String, name: String)
        case subresource(ResourceType, namespace: String, name: String, subresource: String)
        /// Core namespaces (cluster-scoped): every namespace exists in the simulator.
        case namespaces
        case namespace(String)
        /// `/openapi/v3` and one group-version document under it.
        case openAPIRoot
        case openAPIGroupVersion(String)
    }

    /// Answers one request. Never throws: every failure is a Status response.
    func respond(to request: APIRequest) async -> APIResponse {
        let latency = faults.latency
        if latency > .zero { try? await Task.sleep(for: latency) }
        do {
            let route = try Self.route(request.path)
            try authenticate(request, route: route)
            return try await dispatch(request, route: route)
        } catch {
            settings.logger.debug("simulator: \(request.method) \(request.path) -> \(error.code) \(error.reason)")
            return .status(error)
        }
    }

    /// A create handled after a delay in a task of its own, so a client hanging up (which cancels
    /// this handler) does not stop it, as an API server goes on with a request whose client left.
    private func createLate(
        _ request: APIRequest, _ resource: ResourceType, namespace: String, _ delayed: FaultInjector.DelayedCreate
    ) async -> APIResponse {
        let work = Task { [self] () -> APIResponse in
            try? await Task.sleep(for: delayed.delay)
            guard delayed.storing else { return .status(FaultInjector.status(for: 504)) }
            do throws(KubeStatus) {
                _ = try create(request, resource, namespace: namespace)
            } catch {
                return .status(error)
            }
            return .status(FaultInjector.status(for: 504))
        }
        return await work.value
    }

    private func authenticate(_ request: APIRequest, route: Route) throws(KubeStatus) {
        guard let token = settings.bearerToken else { return }
        guard let header = request.header("Authorization") else {
            // Anonymous requests may read version and health, as the default RBAC allows.
            if route == .version || route == .health { return }
            throw KubeStatus.unauthorized
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", Self.constantTimeEquals(String(parts[1]), token) else {
            throw KubeStatus.unauthorized
        }
    }

    private static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = a.count ^ b.count
        for index in 0..<min(a.count, b.count) { difference |= Int(a[index] ^ b[index]) }
        return difference == 0
    }

    static func route(_ path: String) throws(KubeStatus) -> Route {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if segments.first == "openapi", segments.count >= 2, segments[1] == "v3" {
            return segments.count == 2 ? .openAPIRoot : .openAPIGroupVersion(segments.dropFirst(2).joined(separator: "/"))
        }
        switch segments.count {
        case 0: return .root
        case 1:
            switch segments[0] {
            case "version": return .version
            case "readyz", "livez", "healthz": return .health
            case "api": return .apiVersions
            case "apis": return .apiGroupList
            default: throw KubeStatus.pathNotFound()
            }
        default: break
        }
        let group: String
        let version: String
        let rest: ArraySlice<String>
        if segments[0] == "api" {
            (group, version, rest) = ("", segments[1], segments.dropFirst(2))
        } else if segments[0] == "apis" {
            if segments.count == 2 {
                guard ResourceType.all.contains(where: { $0.group == segments[1] }) else { throw KubeStatus.pathNotFound() }
                return .apiGroup(segments[1])
            }
            (group, version, rest) = (segments[1], segments[2], segments.dropFirst(3))
        } else {
            throw KubeStatus.pathNotFound()
        }
        guard ResourceType.all.contains(where: { $0.group == group && $0.version == version }) else { throw KubeStatus.pathNotFound() }
        let parts = Array(rest)
        if group.isEmpty, parts.first == "namespaces", parts.count <= 2 {
            return parts.count == 1 ? .namespaces : .namespace(parts[1])
        }
        func resource(_ plural: String) throws(KubeStatus) -> ResourceType {
            guard let type = ResourceType.all.first(where: { $0.group == group && $0.version == version && $0.plural == plural }) else {
                throw KubeStatus.pathNotFound()
            }
            return type
        }
        switch parts.count {
        case 0: return .resourceList(group: group, version: version)
        case 1: return .collection(try resource(parts[0]), namespace: nil)
        case 3 where parts[0] == "namespaces": return .collection(try resource(parts[2]), namespace: parts[1])
        case 4 where parts[0] == "namespaces": return .item(try resource(parts[2]), namespace: parts[1], name: parts[3])
        case 5 where parts[0] == "namespaces":
            return .subresource(try resource(parts[2]), namespace: parts[1], name: parts[3], subresource: parts[4])
        default: throw KubeStatus.pathNotFound()
        }
    }

    private func dispatch(_ request: APIRequest, route: Route) async throws(KubeStatus) -> APIResponse {
        let method = request.method
        switch route {
        case .root:
            guard method == "GET" else { throw KubeStatus.methodNotAllowed() }
            return .json(["paths": .array(Discovery.paths.map(JSONValue.string))])
        case .version:
            guard method == "GET" else { throw KubeStatus.methodNotAllowed() }
            return .json(Discovery.version)
        case .health:
            return APIResponse(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .data(Data("ok".utf8)))
        case .apiVersions:
            return .json(Discovery.apiVersions)
        case .apiGroupList:
            return .json(Discovery.apiGroupList)
        case .apiGroup(let group):
            return .json(Discovery.apiGroup(group))
        case .resourceList(let group, let version):
            return .json(Discovery.resourceList(group: group, version: version, categories: settings.crd?.categories ?? []))
        case .openAPIRoot:
            guard let crd = settings.crd else { throw KubeStatus.pathNotFound() }
            return .json(OpenAPIDocument.root(crd))
        case .openAPIGroupVersion(let path):
            guard let crd = settings.crd, path == "apis/\(crd.group)/\(crd.version)" else { throw KubeStatus.pathNotFound() }
            return .json(OpenAPIDocument.groupVersion(crd))
        case .namespaces:
            switch method {
            case "GET": return namespaceList(request)
            case "POST": return try createNamespace(request)
            default: throw KubeStatus.methodNotAllowed()
            }
        case .namespace(let name):
            guard method == "GET" else { throw KubeStatus.methodNotAllowed() }
            return try namespace(request, name)
        case .collection(let resource, let namespace):
            switch method {
            case "GET" where request.flag("watch"):
                try requireVerb("watch", resource)
                return try watch(request, resource, namespace: namespace)
            case "GET":
                try requireVerb("list", resource)
                return try list(request, resource, namespace: namespace)
            case "POST":
                guard let namespace else { throw KubeStatus.methodNotAllowed() }
                try requireVerb("create", resource)
                if resource == .sparkApplications, let code = faults.takeCreateFailure() {
                    throw FaultInjector.status(for: code)
                }
                if resource == .sparkApplications, let delayed = faults.takeCreateDelay() {
                    return await createLate(request, resource, namespace: namespace, delayed)
                }
                return try create(request, resource, namespace: namespace)
            default:
                throw KubeStatus.methodNotAllowed()
            }
        case .item(let resource, let namespace, let name):
            switch method {
            case "GET":
                try requireVerb("get", resource)
                return try get(request, resource, namespace: namespace, name: name)
            case "PUT":
                try requireVerb("update", resource)
                return try update(request, resource, namespace: namespace, name: name)
            case "PATCH":
                try requireVerb("patch", resource)
                return try patch(request, resource, namespace: namespace, name: name)
            case "DELETE":
                try requireVerb("delete", resource)
                return try delete(request, resource, namespace: namespace, name: name)
            default:
                throw KubeStatus.methodNotAllowed()
            }
        case .subresource(let resource, let namespace, let name, let subresource):
            switch (resource, subresource, method) {
            case (.pods, "log", "GET"):
                return try podLog(request, namespace: namespace, name: name)
            case (.sparkApplications, "status", "GET"), (.pods, "status", "GET"):
                return try get(request, resource, namespace: namespace, name: name)
            case (.sparkApplications, "status", "PUT"), (.pods, "status", "PUT"):
                return try update(request, resource, namespace: namespace, name: name, statusOnly: true)
            case (.sparkApplications, "status", "PATCH"), (.pods, "status", "PATCH"):
                return try patch(request, resource, namespace: namespace, name: name, statusOnly: true)
            case (_, "log", _), (_, "status", _):
                throw KubeStatus.methodNotAllowed()
            default:
                throw KubeStatus.pathNotFound()
            }
        }
    }

    private func requireVerb(_ verb: String, _ resource: ResourceType) throws(KubeStatus) {
        guard resource.verbs.contains(verb) else { throw KubeStatus.methodNotAllowed() }
    }
}
