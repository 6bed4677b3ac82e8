/// `GET /spark/{id}/status`, in BPG's shape (nil fields omitted).
///
/// ``duration`` depends on the current time while an application runs, so a cached response is
/// refreshed with ``refreshed(now:)`` before it is sent, as BPG computes it at serialization time.
public struct GetSubmissionStatusResponse: Codable, Hashable, Sendable {
    /// Epoch ms of `metadata.creationTimestamp`.
    public var creationTime: Int64?
    public var sparkApplicationId: String?
    public var executionAttempts: Int?
    /// Epoch ms of `status.terminationTime`.
    public var terminationTime: Int64?
    public var duration: Int64
    /// The operator state, `UNKNOWN` when absent.
    public var applicationState: String
    public var applicationErrorMessage: String?
    /// `<cluster sparkUIUrl>/<namespace>/<id>` while `RUNNING`.
    public var sparkUIUrl: String?

    public init(
        creationTime: Int64? = nil, sparkApplicationId: String? = nil, executionAttempts: Int? = nil,
        terminationTime: Int64? = nil, duration: Int64 = 0, applicationState: String = "UNKNOWN",
        applicationErrorMessage: String? = nil, sparkUIUrl: String? = nil
    ) {
        self.creationTime = creationTime
        self.sparkApplicationId = sparkApplicationId
        self.executionAttempts = executionAttempts
        self.terminationTime = terminationTime
        self.duration = duration
        self.applicationState = applicationState
        self.applicationErrorMessage = applicationErrorMessage
        self.sparkUIUrl = sparkUIUrl
    }

    /// BPG's default and warning threshold for `maxRunningMillis`: 12 hours.
    public static let defaultMaxRunningMillis: Int64 = 43_200_000

    /// Builds the response from an object read back from the cluster.
    /// - Parameters:
    ///   - sparkUIBaseURL: the cluster's `sparkUIUrl`, if any.
    ///   - now: epoch ms, for the running duration.
    ///   - note: the gateway's note about the application (its record's), appended to the message.
    public init(application: SparkApplication, sparkUIBaseURL: String?, now: Int64, note: String? = nil) {
        let status = application.status
        // The label is read back from the cluster, where anyone with access can set it to any integer.
        let maxRunning = application.metadata.labels?[GatewayLabels.maxRunningMillis].flatMap { Int64($0) }
        self.init(
            inputs: Inputs(
                name: application.metadata.name, namespace: application.metadata.namespace,
                creationTime: Timestamp.epochMillis(application.metadata.creationTimestamp),
                hasStatus: status != nil, sparkApplicationId: status?.sparkApplicationId,
                executionAttempts: status?.executionAttempts, terminationTime: Timestamp.epochMillis(status?.terminationTime),
                state: status?.applicationState?.state.rawValue, errorMessage: status?.applicationState?.errorMessage,
                maxRunningMillis: maxRunning, note: note),
            sparkUIBaseURL: sparkUIBaseURL, now: now)
    }

    /// Everything BPG's status is computed from, whether read from the object or from a record the
    /// monitor wrote: one computation for both, so the two answers cannot drift apart.
    public struct Inputs: Sendable, Hashable {
        /// The object name (the submission id), for the Spark UI link.
        public var name: String?
        public var namespace: String?
        /// Epoch ms of `metadata.creationTimestamp`.
        public var creationTime: Int64?
        /// Whether the object has a `status` at all (BPG reports `executionAttempts` 1 only then).
        public var hasStatus: Bool
        public var sparkApplicationId: String?
        public var executionAttempts: Int?
        /// Epoch ms of `status.terminationTime`.
        public var terminationTime: Int64?
        /// `status.applicationState.state`; nil reads `UNKNOWN`.
        public var state: String?
        /// The operator's `status.applicationState.errorMessage`.
        public var errorMessage: String?
        /// The `maxRunningMillis` label as a number.
        public var maxRunningMillis: Int64?
        /// The gateway's note (for example why it stopped the application), appended last.
        public var note: String?

        public init(
            name: String?, namespace: String?, creationTime: Int64?, hasStatus: Bool, sparkApplicationId: String?,
            executionAttempts: Int?, terminationTime: Int64?, state: String?, errorMessage: String?,
            maxRunningMillis: Int64?, note: String?
        ) {
            self.name = name
            self.namespace = namespace
            self.creationTime = creationTime
            self.hasStatus = hasStatus
            self.sparkApplicationId = sparkApplicationId
            self.executionAttempts = executionAttempts
            self.terminationTime = terminationTime
            self.state = state
            self.errorMessage = errorMessage
            self.maxRunningMillis = maxRunningMillis
            self.note = note
        }
    }

    /// BPG's status from its inputs (docs/bpg-compatibility.md, the status endpoint): `UNKNOWN`
    /// without a state, `executionAttempts` 1 when the status lacks it, the label's notes appended
    /// to the operator's message, then the gateway's note.
    public init(inputs: Inputs, sparkUIBaseURL: String?, now: Int64) {
        creationTime = inputs.creationTime
        sparkApplicationId = inputs.sparkApplicationId
        executionAttempts = inputs.hasStatus ? (inputs.executionAttempts ?? 1) : nil
        terminationTime = inputs.terminationTime
        applicationState = inputs.state ?? "UNKNOWN"
        applicationErrorMessage = inputs.errorMessage
        duration = 0
        if let name = inputs.name {
            sparkUIUrl = Self.sparkUIURL(base: sparkUIBaseURL, namespace: inputs.namespace, name: name, state: applicationState)
        }
        let extra = Self.extraMessage(
            maxRunning: inputs.maxRunningMillis, creation: creationTime, termination: terminationTime, state: applicationState)
        for addition in [extra, inputs.note] {
            guard let addition, !addition.isEmpty else { continue }
            if let message = applicationErrorMessage, !message.isEmpty {
                applicationErrorMessage = message + " " + addition
            } else {
                applicationErrorMessage = addition
            }
        }
        self = refreshed(now: now)
    }

    /// BPG's Spark UI link: `<cluster sparkUIUrl>/<namespace>/<submission id>`, only while the
    /// application is `RUNNING` and the cluster has a `sparkUIUrl`.
    public static func sparkUIURL(base: String?, namespace: String?, name: String, state: String) -> String? {
        guard state.uppercased() == "RUNNING", let base, !base.isEmpty else { return nil }
        return "\(base)/\(namespace ?? "")/\(name)"
    }

    /// The same response with ``duration`` recomputed for `now` (epoch ms).
    public func refreshed(now: Int64) -> GetSubmissionStatusResponse {
        var copy = self
        guard let creation = creationTime else {
            copy.duration = 0
            return copy
        }
        if let termination = terminationTime {
            copy.duration = termination.saturatingSubtracting(creation)
        } else if applicationState == "RUNNING" || applicationState == "SUBMITTED" {
            copy.duration = now.saturatingSubtracting(creation)
        } else {
            copy.duration = 0
        }
        return copy
    }

    private static func extraMessage(maxRunning: Int64?, creation: Int64?, termination: Int64?, state: String) -> String? {
        guard let maxRunning else { return nil }
        if state == "FAILED", let creation, let termination, termination.saturatingSubtracting(creation) >= maxRunning.saturatingSubtracting(120_000) {
            return "(application might be killed because of running too long)"
        }
        if maxRunning > defaultMaxRunningMillis {
            return "(warning: application is configured with custom max running time: \(maxRunning) millis, but might be still killed in certain situations like maintenance)"
        }
        return nil
    }
}
