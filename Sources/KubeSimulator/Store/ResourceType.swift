/// A kind of object the simulated API server stores, with what discovery and error messages say about it.
public struct ResourceType: Sendable, Hashable {
    /// API group, empty for the core group.
    public var group: String
    /// API version within the group ("v1beta2").
    public var version: String
    /// The lowercase plural used in paths ("sparkapplications").
    public var plural: String
    /// The lowercase singular ("sparkapplication"), as discovery reports it.
    public var singular: String
    /// The object kind ("SparkApplication").
    public var kind: String
    /// Short names kubectl accepts ("sparkapp").
    public var shortNames: [String]
    /// The verbs discovery advertises and the handlers allow; others are 405.
    public var verbs: [String]
    /// Field selector paths the real API server accepts for this resource (besides metadata.name/namespace).
    public var selectableFields: Set<String>

    /// `"sparkoperator.k8s.io/v1beta2"`, or `"v1"` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `"sparkapplications.sparkoperator.k8s.io"`, or `"pods"`: how Status messages name the resource.
    public var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The kind of list responses ("SparkApplicationList").
    public var listKind: String { kind + "List" }

    /// `sparkoperator.k8s.io/v1beta2` SparkApplications.
    public static let sparkApplications = ResourceType(
        group: "sparkoperator.k8s.io", version: "v1beta2", plural: "sparkapplications", singular: "sparkapplication",
        kind: "SparkApplication", shortNames: ["sparkapp"],
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], selectableFields: [])
    /// Core pods (created by the simulated operator; readable and deletable by clients).
    public static let pods = ResourceType(
        group: "", version: "v1", plural: "pods", singular: "pod", kind: "Pod", shortNames: ["po"],
        verbs: ["delete", "get", "list", "patch", "update", "watch"], selectableFields: ["status.phase", "spec.nodeName"])
    /// Core events (recorded by the simulated operator).
    public static let events = ResourceType(
        group: "", version: "v1", plural: "events", singular: "event", kind: "Event", shortNames: ["ev"],
        verbs: ["get", "list", "watch"],
        selectableFields: [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
            "reportingComponent", "source", "type",
        ])
    /// Core secrets (seeded by tests with `SimulatedCluster.putSecret`).
    public static let secrets = ResourceType(
        group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret", shortNames: [],
        verbs: ["get", "list"], selectableFields: ["type"])
    /// `coordination.k8s.io/v1` leases, for leader election.
    public static let leases = ResourceType(
        group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease", shortNames: [],
        verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], selectableFields: [])

    /// Cluster-scoped and synthesized (see `KubeAPI.namespace`); not in `all`, so nothing stores them.
    public static let namespaces = ResourceType(
        group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace", shortNames: ["ns"],
        verbs: ["create", "get", "list"], selectableFields: [])

    /// Every resource the simulator stores and serves under namespaces.
    public static let all: [ResourceType] = [.sparkApplications, .pods, .events, .secrets, .leases]
}
