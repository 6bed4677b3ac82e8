/// A kind of object the simulated API server stores, with what discovery and error messages say about it.
public struct ResourceType: Sendable, Hashable {
    /// API group, empty for the core group.
    public var group: String
    public var version: String
    /// The lowercase plural used in paths ("sparkapplications").
    public var plural: String
    public var singular: String
    public var kind: String
    public var shortNames: [String]
    public var verbs: [String]
    /// Field selector paths the real API server accepts for this resource (besides metadata.name/namespace).
    public var selectableFields: Set<String>

    /// `"sparkoperator.k8s.io/v1beta2"`, or `"v1"` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `"sparkapplications.sparkoperator.k8s.io"`, or `"pods"`: how Status messages name the resource.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    public var listKind: String { kind + "List" }

    public static let sparkApplications = ResourceType(
        group: "sparkoperator.k8s.io", version: "v1beta2", plural: "sparkapplications", singular: "sparkapplication",
        kind: "SparkApplication", shortNames: ["sparkapp"],
        verbs: ["create", "delete", "get", "list", "watch"], selectableFields: [])
    public static let pods = ResourceType(
        group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", shortNames: ["po"],
        verbs: ["delete", "get", "list", "watch"], selectableFields: ["status.phase", "spec.nodeName"])
    public static let events = ResourceType(
        group: "", version: "v1", plural: "events", singular: "event", kind: "Event", shortNames: ["ev"],
        verbs: ["get", "list", "watch"],
        selectableFields: [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type",
        ])
    public static let secrets = ResourceType(
        group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", shortNames: [],
        verbs: ["get", "list"], selectableFields: ["type"])
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease", shortNames: [],
        verbs: ["create", "delete", "get", "list", "update", "watch"], selectableFields: [])

    /// Cluster-scoped and synthesized (see `KubeAPI.namespace`); not in `all`, so nothing stores them.
    public static let namespaces = ResourceType(
        group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace", shortNames: ["ns"],
        verbs: ["get", "list"], selectableFields: [])

    /// Every resource the simulator stores and serves under namespaces.
    public static let all: [ResourceType] = [.sparkApplications, .pods, .events, .secrets, .leases]
}
