/// One entry of `GET /spark/mySubmissions` and of the NDJSON admin listing.
public struct SubmissionSummary: Codable, Hashable, Sendable {
    public var creationTime: Int64?
    public var sparkApplicationId: String?
    public var executionAttempts: Int?
    public var terminationTime: Int64?
    public var duration: Int64
    public var applicationState: String
    public var applicationErrorMessage: String?
    public var sparkUIUrl: String?
    public var submissionId: String?
    /// The `proxyUser` label.
    public var user: String?
    /// The `queue` label, e.g. `root.poc`; `""` when absent.
    public var queue: String
    /// The driver's `dag_name` label; `""` when absent.
    public var dagName: String
    public var driverCores: Int?
    public var driverMemoryGB: Int64?
    public var executorInstances: Int?
    public var executorCores: Int?
    public var executorMemoryGB: Int64?
    public var totalCores: Int?
    public var totalMemoryGB: Int64?
    public var sparkVersion: String?
    public var applicationName: String?
    public var applicationArguments: [String]?

    /// Builds the summary from an object read back from the cluster.
    /// - Parameters:
    ///   - sparkUIBaseURL: the cluster's `sparkUIUrl` (running applications).
    ///   - sparkHistoryDNS: `sparkHistoryDns` (finished applications link to the history server).
    public init(application: SparkApplication, sparkUIBaseURL: String?, sparkHistoryDNS: String?, now: Int64) {
        let status = GetSubmissionStatusResponse(application: application, sparkUIBaseURL: sparkUIBaseURL, now: now)
        creationTime = status.creationTime
        sparkApplicationId = status.sparkApplicationId
        executionAttempts = status.executionAttempts
        terminationTime = status.terminationTime
        duration = status.duration
        applicationState = status.applicationState
        applicationErrorMessage = status.applicationErrorMessage
        sparkUIUrl = status.sparkUIUrl
        if applicationState == "COMPLETED" || applicationState == "FAILED", let dns = sparkHistoryDNS, !dns.isEmpty,
            let appId = sparkApplicationId
        {
            sparkUIUrl = "https://\(dns)/history/\(appId)"
        }
        submissionId = application.metadata.name
        let labels = application.metadata.labels ?? [:]
        user = labels[GatewayLabels.proxyUser]
        queue = labels[GatewayLabels.queue] ?? ""
        let spec = application.spec
        dagName = spec.driver.labels?["dag_name"] ?? ""
        sparkVersion = spec.sparkVersion
        applicationName = spec.sparkConf?["spark.app.name"]
        applicationArguments = spec.arguments
        if !labels.isEmpty {
            let driverCores = spec.driver.cores ?? 1
            let driverMemory = spec.driver.memory.flatMap { try? MemorySize(parsing: $0) }?.truncatedGibibytes ?? 0
            let instances = spec.executor.instances ?? 1
            let executorCores = spec.executor.cores ?? 1
            let executorMemory = spec.executor.memory.flatMap { try? MemorySize(parsing: $0) }?.truncatedGibibytes ?? 0
            self.driverCores = driverCores
            driverMemoryGB = driverMemory
            executorInstances = instances
            self.executorCores = executorCores
            executorMemoryGB = executorMemory
            // Saturating: the object may come from the cluster, not from a request this gateway validated.
            totalCores = instances.saturatingMultiplied(by: executorCores).saturatingAdding(driverCores)
            totalMemoryGB = Int64(instances).saturatingMultiplied(by: executorMemory).saturatingAdding(driverMemory)
        }
    }

    /// Builds the summary from plain values (a stored record), with the same defaults as the
    /// object-based initializer: cores default to 1, memory to `1g`, executor instances to 1, and
    /// memory is shown in whole GiB, truncated.
    /// - Parameters:
    ///   - status: the status part (state, times, error, running `sparkUIUrl`).
    ///   - user: the proxy user as the `proxyUser` label holds it (normalised by the caller).
    ///   - queue: the `queue` label, e.g. `root.poc`.
    ///   - driverMemory, executorMemory: Spark memory strings such as `2g` or `512m`.
    ///   - sparkHistoryDNS: finished applications link to the history server.
    public init(
        status: GetSubmissionStatusResponse, submissionId: String, user: String?, queue: String, dagName: String,
        driverCores: Int?, driverMemory: String?, executorInstances: Int?, executorCores: Int?,
        executorMemory: String?, sparkVersion: String?, applicationName: String?, arguments: [String]?,
        sparkHistoryDNS: String?
    ) {
        creationTime = status.creationTime
        sparkApplicationId = status.sparkApplicationId
        executionAttempts = status.executionAttempts
        terminationTime = status.terminationTime
        duration = status.duration
        applicationState = status.applicationState
        applicationErrorMessage = status.applicationErrorMessage
        sparkUIUrl = status.sparkUIUrl
        if applicationState == "COMPLETED" || applicationState == "FAILED", let dns = sparkHistoryDNS, !dns.isEmpty,
            let appId = sparkApplicationId
        {
            sparkUIUrl = "https://\(dns)/history/\(appId)"
        }
        self.submissionId = submissionId
        self.user = user
        self.queue = queue
        self.dagName = dagName
        self.sparkVersion = sparkVersion
        self.applicationName = applicationName
        applicationArguments = arguments
        let driverCores = driverCores ?? 1
        let driverMemoryGB = (try? MemorySize(parsing: driverMemory ?? "1g"))?.truncatedGibibytes ?? 0
        let instances = executorInstances ?? 1
        let executorCores = executorCores ?? 1
        let executorMemoryGB = (try? MemorySize(parsing: executorMemory ?? "1g"))?.truncatedGibibytes ?? 0
        self.driverCores = driverCores
        self.driverMemoryGB = driverMemoryGB
        self.executorInstances = instances
        self.executorCores = executorCores
        self.executorMemoryGB = executorMemoryGB
        // Saturating: a record may predate the request bounds.
        totalCores = instances.saturatingMultiplied(by: executorCores).saturatingAdding(driverCores)
        totalMemoryGB = Int64(instances).saturatingMultiplied(by: executorMemoryGB).saturatingAdding(driverMemoryGB)
    }
}
