/// A driver or executor pod description, as a request carries it and as `spec.driver`/`spec.executor`
/// of a `SparkApplication` holds it.
///
/// Driver-only fields (`podName`, `kubernetesMaster`) and executor-only fields (`instances`,
/// `deleteOnTermination`) share this type; translation clears the ones that do not belong to a role, so
/// the emitted object never holds a field the CRD would prune. Unknown fields are ignored on decode;
/// requests are read with the JSON module's lenient scalars (`"cores": 1.9` is 1, `"memory": 2` is
/// `"2"`), as BPG's Jackson reads them.
public struct SparkPodSpec: Codable, Hashable, Sendable {
    public var cores: Int?
    public var coreRequest: String?
    public var coreLimit: String?
    public var memory: String?
    public var memoryOverhead: String?
    public var image: String?
    public var env: [EnvVar]?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var terminationGracePeriodSeconds: Int64?
    public var serviceAccount: String?
    public var volumeMounts: [VolumeMount]?
    public var securityContext: SecurityContext?
    public var affinity: Affinity?
    public var dnsConfig: PodDNSConfig?
    public var javaOptions: String?
    /// Driver only.
    public var podName: String?
    /// Driver only.
    public var kubernetesMaster: String?
    /// Executor only.
    public var instances: Int?
    /// Executor only.
    public var deleteOnTermination: Bool?

    public init(
        cores: Int? = nil, coreRequest: String? = nil, coreLimit: String? = nil, memory: String? = nil,
        memoryOverhead: String? = nil, image: String? = nil, env: [EnvVar]? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil, terminationGracePeriodSeconds: Int64? = nil,
        serviceAccount: String? = nil, volumeMounts: [VolumeMount]? = nil, securityContext: SecurityContext? = nil,
        affinity: Affinity? = nil, dnsConfig: PodDNSConfig? = nil, javaOptions: String? = nil,
        podName: String? = nil, kubernetesMaster: String? = nil, instances: Int? = nil,
        deleteOnTermination: Bool? = nil
    ) {
        self.cores = cores
        self.coreRequest = coreRequest
        self.coreLimit = coreLimit
        self.memory = memory
        self.memoryOverhead = memoryOverhead
        self.image = image
        self.env = env
        self.labels = labels
        self.annotations = annotations
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.serviceAccount = serviceAccount
        self.volumeMounts = volumeMounts
        self.securityContext = securityContext
        self.affinity = affinity
        self.dnsConfig = dnsConfig
        self.javaOptions = javaOptions
        self.podName = podName
        self.kubernetesMaster = kubernetesMaster
        self.instances = instances
        self.deleteOnTermination = deleteOnTermination
    }
}
