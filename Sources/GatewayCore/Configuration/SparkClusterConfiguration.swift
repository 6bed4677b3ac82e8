/// One entry of `sparkClusters`: a Kubernetes cluster running the Spark operator.
public struct SparkClusterConfiguration: Codable, Hashable, Sendable {
    /// Submission-id prefix. Unlike BPG it may contain `-` (`spark-cluster-a`).
    public var id: String
    /// Routing weight; 0 drains the cluster (no new jobs, status still works).
    public var weight: Int = 0
    /// Only a metric tag.
    public var eksCluster: String?
    /// The Kubernetes API server URL.
    public var masterUrl: String?
    /// Base64 PEM CA bundle for the API server.
    public var caCertDataSOPS: SecretReference?
    public var userName: String?
    /// Bearer token for the API server.
    public var userTokenSOPS: SecretReference?
    /// Connection and request timeout; default 30000.
    public var timeoutMillis: Int64 = 30_000
    public var httpProxy: String?
    public var httpsProxy: String?
    /// Namespace of the `SparkApplication`s, pods and events.
    public var sparkApplicationNamespace: String?
    /// Default driver service account.
    public var sparkServiceAccount: String?
    /// `yunikorn` enables YuniKorn options; anything else is ignored.
    public var batchScheduler: String?
    /// Supported Spark versions (exact, case-insensitive).
    public var sparkVersions: [String] = []
    /// Parent queues served (case-insensitive).
    public var queues: [String] = []
    /// `spec.timeToLiveSeconds`.
    public var ttlSeconds: Int64?
    /// Base of the running-application UI URL.
    public var sparkUIUrl: String?
    /// Spark conf layered over `defaultSparkConf`; `{spark-application-resource-name}` is substituted.
    public var sparkConf: [String: String]?
    public var sparkUIOptions: SparkUIOptions?
    /// Default volumes, used when the request has none.
    public var volumes: [Volume]?
    /// Only `env` and `volumeMounts` are used.
    public var driver: SparkPodSpec?
    /// Only `env` and `volumeMounts` are used.
    public var executor: SparkPodSpec?

    public init(id: String) { self.id = id }

    enum CodingKeys: String, CodingKey {
        case id, weight, eksCluster, masterUrl, caCertDataSOPS, userName, userTokenSOPS, timeoutMillis, httpProxy
        case httpsProxy, sparkApplicationNamespace, sparkServiceAccount, batchScheduler, sparkVersions, queues
        case ttlSeconds, sparkUIUrl, sparkConf, sparkUIOptions, volumes, driver, executor
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        weight = try c.decodeIfPresent(Int.self, forKey: .weight) ?? 0
        eksCluster = try c.decodeIfPresent(String.self, forKey: .eksCluster)
        masterUrl = try c.decodeIfPresent(String.self, forKey: .masterUrl)
        caCertDataSOPS = try c.decodeIfPresent(SecretReference.self, forKey: .caCertDataSOPS)
        userName = try c.decodeIfPresent(String.self, forKey: .userName)
        userTokenSOPS = try c.decodeIfPresent(SecretReference.self, forKey: .userTokenSOPS)
        timeoutMillis = try c.decodeIfPresent(Int64.self, forKey: .timeoutMillis) ?? 30_000
        httpProxy = try c.decodeIfPresent(String.self, forKey: .httpProxy)
        httpsProxy = try c.decodeIfPresent(String.self, forKey: .httpsProxy)
        sparkApplicationNamespace = try c.decodeIfPresent(String.self, forKey: .sparkApplicationNamespace)
        sparkServiceAccount = try c.decodeIfPresent(String.self, forKey: .sparkServiceAccount)
        batchScheduler = try c.decodeIfPresent(String.self, forKey: .batchScheduler)
        sparkVersions = try c.decodeStringList(forKey: .sparkVersions) ?? []
        queues = try c.decodeStringList(forKey: .queues) ?? []
        ttlSeconds = try c.decodeIfPresent(Int64.self, forKey: .ttlSeconds)
        sparkUIUrl = try c.decodeIfPresent(String.self, forKey: .sparkUIUrl)
        sparkConf = try c.decodeStringMap(forKey: .sparkConf)
        sparkUIOptions = try c.decodeIfPresent(SparkUIOptions.self, forKey: .sparkUIOptions)
        volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes)
        driver = try c.decodeIfPresent(SparkPodSpec.self, forKey: .driver)
        executor = try c.decodeIfPresent(SparkPodSpec.self, forKey: .executor)
    }

    /// True when `version` is listed (case-insensitive); false for nil or empty.
    public func supportsSparkVersion(_ version: String?) -> Bool {
        guard let version, !version.isEmpty else { return false }
        return sparkVersions.contains { $0.equalsIgnoringCase(version) }
    }

    /// True when the parent queue is served (case-insensitive); false for nil or empty.
    public func servesQueue(_ queue: String?) -> Bool {
        guard let queue, !queue.isEmpty else { return false }
        return queues.contains { $0.equalsIgnoringCase(queue) }
    }
}
