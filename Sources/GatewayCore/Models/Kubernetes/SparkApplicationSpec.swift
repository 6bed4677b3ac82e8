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

    private enum CodingKeys: String, CodingKey {
        case type, sparkVersion, mode, proxyUser, image, imagePullPolicy, mainClass, mainApplicationFile, arguments
        case sparkConf, volumes, deps, restartPolicy, pythonVersion, timeToLiveSeconds, batchScheduler
        case batchSchedulerOptions, sparkUIOptions, driver, executor
    }

    /// Tolerant of objects other tools created: every field is optional when reading back.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        sparkVersion = try c.decodeIfPresent(String.self, forKey: .sparkVersion)
        mode = try c.decodeIfPresent(String.self, forKey: .mode)
        proxyUser = try c.decodeIfPresent(String.self, forKey: .proxyUser)
        image = try c.decodeIfPresent(String.self, forKey: .image)
        imagePullPolicy = try c.decodeIfPresent(String.self, forKey: .imagePullPolicy)
        mainClass = try c.decodeIfPresent(String.self, forKey: .mainClass)
        mainApplicationFile = try c.decodeIfPresent(String.self, forKey: .mainApplicationFile)
        arguments = try c.decodeStringList(forKey: .arguments)
        sparkConf = try c.decodeStringMap(forKey: .sparkConf)
        volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes)
        deps = try c.decodeIfPresent(Dependencies.self, forKey: .deps)
        restartPolicy = try c.decodeIfPresent(RestartPolicy.self, forKey: .restartPolicy)
        pythonVersion = try c.decodeIfPresent(String.self, forKey: .pythonVersion)
        timeToLiveSeconds = try c.decodeIfPresent(Int64.self, forKey: .timeToLiveSeconds)
        batchScheduler = try c.decodeIfPresent(String.self, forKey: .batchScheduler)
        batchSchedulerOptions = try c.decodeIfPresent(BatchSchedulerOptions.self, forKey: .batchSchedulerOptions)
        sparkUIOptions = try c.decodeIfPresent(SparkUIOptions.self, forKey: .sparkUIOptions)
        driver = try c.decodeIfPresent(SparkPodSpec.self, forKey: .driver) ?? SparkPodSpec()
        executor = try c.decodeIfPresent(SparkPodSpec.self, forKey: .executor) ?? SparkPodSpec()
    }

    /// A copy without pod environments, as `GET /spark/{id}/spec` and logs show it.
    public func withoutEnvironment() -> SparkApplicationSpec {
        var copy = self
        copy.driver.env = nil
        copy.executor.env = nil
        return copy
    }
}
