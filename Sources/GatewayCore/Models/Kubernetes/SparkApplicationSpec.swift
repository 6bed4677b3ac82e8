/// `spec` of a `SparkApplication`: the fields BPG sets. Fields the operator has but BPG never sets are
/// not modelled, so they are dropped when reading an object back.
public struct SparkApplicationSpec: Codable, Hashable, Sendable {
    public var type: String?
    public var sparkVersion: String?
    public var mode: String?
    public var proxyUser: String?
    public var image: String?
    public var imagePullPolicy: String?
    public var mainClass: String?
    public var mainApplicationFile: String?
    public var arguments: [String]?
    public var sparkConf: [String: String]?
    public var volumes: [Volume]?
    public var deps: Dependencies?
    public var restartPolicy: RestartPolicy?
    public var pythonVersion: String?
    public var timeToLiveSeconds: Int64?
    public var batchScheduler: String?
    public var batchSchedulerOptions: BatchSchedulerOptions?
    public var sparkUIOptions: SparkUIOptions?
    public var driver: SparkPodSpec
    public var executor: SparkPodSpec

    public init(
        type: String? = nil, sparkVersion: String? = nil, mode: String? = nil, proxyUser: String? = nil,
        image: String? = nil, imagePullPolicy: String? = nil, mainClass: String? = nil,
        mainApplicationFile: String? = nil, arguments: [String]? = nil, sparkConf: [String: String]? = nil,
        volumes: [Volume]? = nil, deps: Dependencies? = nil, restartPolicy: RestartPolicy? = nil,
        pythonVersion: String? = nil, timeToLiveSeconds: Int64? = nil, batchScheduler: String? = nil,
        batchSchedulerOptions: BatchSchedulerOptions? = nil, sparkUIOptions: SparkUIOptions? = nil,
        driver: SparkPodSpec = SparkPodSpec(), executor: SparkPodSpec = SparkPodSpec()
    ) {
        self.type = type
        self.sparkVersion = sparkVersion
        self.mode = mode
        self.proxyUser = proxyUser
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.mainClass = mainClass
        self.mainApplicationFile = mainApplicationFile
        self.arguments = arguments
        self.sparkConf = sparkConf
        self.volumes = volumes
        self.deps = deps
        self.restartPolicy = restartPolicy
        self.pythonVersion = pythonVersion
        self.timeToLiveSeconds = timeToLiveSeconds
        self.batchScheduler = batchScheduler
        self.batchSchedulerOptions = batchSchedulerOptions
        self.sparkUIOptions = sparkUIOptions
        self.driver = driver
        self.executor = executor
    }

    /// A copy without pod environments, as `GET /spark/{id}/spec` and logs show it.
    public func withoutEnvironment() -> SparkApplicationSpec {
        var copy = self
        copy.driver.env = nil
        copy.executor.env = nil
        return copy
    }
}
