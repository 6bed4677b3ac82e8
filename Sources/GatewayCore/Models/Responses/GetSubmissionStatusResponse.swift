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
    public init(application: SparkApplication, sparkUIBaseURL: String?, now: Int64) {
        creationTime = Timestamp.epochMillis(application.metadata.creationTimestamp)
        let status = application.status
        sparkApplicationId = status?.sparkApplicationId
        executionAttempts = status.map { $0.executionAttempts ?? 1 }
        terminationTime = Timestamp.epochMillis(status?.terminationTime)
        applicationState = status?.applicationState?.state.rawValue ?? "UNKNOWN"
        applicationErrorMessage = status?.applicationState?.errorMessage
        duration = 0
        if let name = application.metadata.name {
            sparkUIUrl = Self.sparkUIURL(
                base: sparkUIBaseURL, namespace: application.metadata.namespace, name: name, state: applicationState)
        }
        if let extra = Self.extraMessage(
            application: application, creation: creationTime, termination: terminationTime, state: applicationState)
        {
            if let message = applicationErrorMessage, !message.isEmpty {
                applicationErrorMessage = message + " " + extra
            } else {
                applicationErrorMessage = extra
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

    private static func extraMessage(
        application: SparkApplication, creation: Int64?, termination: Int64?, state: String
    ) -> String? {
        // The label is read back from the cluster, where anyone with access can set it to any integer.
        guard let label = application.metadata.labels?[GatewayLabels.maxRunningMillis],
            let maxRunning = Int64(label)
        else { return nil }
        if state == "FAILED", let creation, let termination, termination.saturatingSubtracting(creation) >= maxRunning.saturatingSubtracting(120_000) {
            return "(application might be killed because of running too long)"
        }
        if maxRunning > defaultMaxRunningMillis {
            return "(warning: application is configured with custom max running time: \(maxRunning) millis, but might be still killed in certain situations like maintenance)"
        }
        return nil
    }
}
