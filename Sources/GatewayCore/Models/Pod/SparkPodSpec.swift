/// A driver or executor pod description, as a request carries it and as `spec.driver`/`spec.executor`
/// of a `SparkApplication` holds it.
///
/// Driver-only fields (`podName`, `kubernetesMaster`) and executor-only fields (`instances`,
/// `deleteOnTermination`) share this type; translation clears the ones that do not belong to a role, so
/// the emitted object never holds a field the CRD would prune. Unknown fields are ignored on decode.
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

    private enum CodingKeys: String, CodingKey {
        case cores, coreRequest, coreLimit, memory, memoryOverhead, image, env, labels, annotations
        case terminationGracePeriodSeconds, serviceAccount, volumeMounts, securityContext, affinity, dnsConfig
        case javaOptions, podName, kubernetesMaster, instances, deleteOnTermination
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cores = try c.decodeLenientInt(forKey: .cores)
        coreRequest = try c.decodeIfPresent(LenientString.self, forKey: .coreRequest)?.value
        coreLimit = try c.decodeIfPresent(LenientString.self, forKey: .coreLimit)?.value
        memory = try c.decodeIfPresent(LenientString.self, forKey: .memory)?.value
        memoryOverhead = try c.decodeIfPresent(LenientString.self, forKey: .memoryOverhead)?.value
        image = try c.decodeIfPresent(String.self, forKey: .image)
        env = try c.decodeIfPresent([EnvVar].self, forKey: .env)
        labels = try c.decodeStringMap(forKey: .labels)
        annotations = try c.decodeStringMap(forKey: .annotations)
        terminationGracePeriodSeconds = try c.decodeLenientInt(forKey: .terminationGracePeriodSeconds).map(Int64.init)
        serviceAccount = try c.decodeIfPresent(String.self, forKey: .serviceAccount)
        volumeMounts = try c.decodeIfPresent([VolumeMount].self, forKey: .volumeMounts)
        securityContext = try c.decodeIfPresent(SecurityContext.self, forKey: .securityContext)
        affinity = try c.decodeIfPresent(Affinity.self, forKey: .affinity)
        dnsConfig = try c.decodeIfPresent(PodDNSConfig.self, forKey: .dnsConfig)
        javaOptions = try c.decodeIfPresent(String.self, forKey: .javaOptions)
        podName = try c.decodeIfPresent(String.self, forKey: .podName)
        kubernetesMaster = try c.decodeIfPresent(String.self, forKey: .kubernetesMaster)
        instances = try c.decodeLenientInt(forKey: .instances)
        deleteOnTermination = try c.decodeIfPresent(Bool.self, forKey: .deleteOnTermination)
    }
}
