/// `status` of a `SparkApplication`, as the operator writes it.
public struct SparkApplicationStatus: Codable, Hashable, Sendable {
    /// Where the driver runs and how its UI is reached.
    public struct DriverInfo: Codable, Hashable, Sendable {
        public var podName: String?
        public var webUIServiceName: String?
        public var webUIAddress: String?
        public var webUIPort: Int?
        public var webUIIngressName: String?
        public var webUIIngressAddress: String?

        public init(
            podName: String? = nil, webUIServiceName: String? = nil, webUIAddress: String? = nil,
            webUIPort: Int? = nil, webUIIngressName: String? = nil, webUIIngressAddress: String? = nil
        ) {
            self.podName = podName
            self.webUIServiceName = webUIServiceName
            self.webUIAddress = webUIAddress
            self.webUIPort = webUIPort
            self.webUIIngressName = webUIIngressName
            self.webUIIngressAddress = webUIIngressAddress
        }
    }

    /// Spark's `spark.app.id`.
    public var sparkApplicationId: String?
    /// A fresh id per submission attempt.
    public var submissionID: String?
    public var lastSubmissionAttemptTime: String?
    public var terminationTime: String?
    public var driverInfo: DriverInfo?
    public var applicationState: ApplicationState?
    /// Executor pod name → `PENDING`, `RUNNING`, `COMPLETED`, `FAILED` or `UNKNOWN`.
    public var executorState: [String: String]?
    public var executionAttempts: Int?
    public var submissionAttempts: Int?

    public init(
        sparkApplicationId: String? = nil, submissionID: String? = nil, lastSubmissionAttemptTime: String? = nil,
        terminationTime: String? = nil, driverInfo: DriverInfo? = nil, applicationState: ApplicationState? = nil,
        executorState: [String: String]? = nil, executionAttempts: Int? = nil, submissionAttempts: Int? = nil
    ) {
        self.sparkApplicationId = sparkApplicationId
        self.submissionID = submissionID
        self.lastSubmissionAttemptTime = lastSubmissionAttemptTime
        self.terminationTime = terminationTime
        self.driverInfo = driverInfo
        self.applicationState = applicationState
        self.executorState = executorState
        self.executionAttempts = executionAttempts
        self.submissionAttempts = submissionAttempts
    }
}
