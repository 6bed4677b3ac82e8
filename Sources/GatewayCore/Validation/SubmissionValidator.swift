import Foundation

/// Checks a request before anything is persisted or created; every failure is a 400 naming the field.
public enum SubmissionValidator {
    /// Application types the operator accepts, in its spelling.
    public static let applicationTypes = ["Java", "Scala", "Python", "R"]
    /// The Spark conf key a user sets to shorten (never lengthen past the queue's cap) the running time.
    public static let maxRunningMillisKey = "bpg.maxRunningMillis"
    /// Server-controlled Spark conf key holding the picked zones.
    public static let pickedZonesKey = "bpg.pickedZones"

    /// What validation decided, used by translation.
    public struct Result: Hashable, Sendable {
        /// The application type in the operator's spelling.
        public var type: String
        /// The effective max running time, ms.
        public var maxRunningMillis: Int64
    }

    /// Validates the request for `queue`.
    public static func validate(
        _ request: SubmitApplicationRequest, queue: ResolvedQueue, configuration: GatewayConfiguration
    ) throws(SubmissionError) -> Result {
        if configuration.queues != nil, queue.configuration == nil {
            throw .badRequest("queue: The queue \(queue.name) does not exist. Please check the queue name and try again.")
        }
        guard request.sparkVersion?.isEmpty == false else { throw .badRequest("sparkVersion is required") }
        guard let file = request.mainApplicationFile, !file.isEmpty else {
            throw .badRequest("mainApplicationFile is required")
        }
        let type = try applicationType(request)
        if let python = request.pythonVersion, python != "2", python != "3" {
            throw .badRequest("pythonVersion must be \"2\" or \"3\" (got \"\(python)\")")
        }
        try validateRestartPolicy(request.restartPolicy)
        try validatePod(request.driver, role: "driver")
        try validatePod(request.executor, role: "executor")
        try validateOverheadFactors(request)

        let limit = queue.configuration?.maxExecutorInstances ?? QueueConfiguration.defaultMaxExecutorInstances
        if let instances = request.executor?.instances {
            if instances < 1 { throw .badRequest("executor.instances must be at least 1 (got \(instances))") }
            if instances > limit {
                throw .badRequest("Executor instances in Spark config (\(instances)) exceeds limit (\(limit))")
            }
        }
        if let raw = request.sparkConf?["spark.executor.instances"] {
            guard let instances = Int(raw.trimmingSpaces), instances >= 0 else {
                throw .badRequest("Invalid value (\(raw)) for Spark config: (spark.executor.instances)")
            }
            if instances > limit {
                throw .badRequest("Executor instances in Spark config (\(instances)) exceeds limit (\(limit))")
            }
        }

        let queueMax = queue.parentConfiguration?.maxRunningMillis ?? GetSubmissionStatusResponse.defaultMaxRunningMillis
        var maxRunning = GetSubmissionStatusResponse.defaultMaxRunningMillis
        if let raw = request.sparkConf?[maxRunningMillisKey] {
            guard let value = Int64(raw.trimmingSpaces), value > 0 else {
                throw .badRequest("Invalid value for config \(maxRunningMillisKey): \(raw)")
            }
            if value > queueMax {
                throw .badRequest("maxRunningMillis \(value) is too large than allowed \(queueMax) for queue \(queue.parent)")
            }
            maxRunning = value
        }
        if let suffix = request.submissionIdSuffix, !suffix.isEmpty, !KubernetesName.isDNSLabel(suffix) {
            throw .badRequest(
                "submissionIdSuffix \"\(suffix)\" must contain only lowercase letters, digits and '-', and start and end with a letter or digit"
            )
        }
        return Result(type: type, maxRunningMillis: maxRunning)
    }

    /// BPG's `getType`, with the value checked against the operator's enum (case-insensitive).
    static func applicationType(_ request: SubmitApplicationRequest) throws(SubmissionError) -> String {
        guard let requested = request.type, !requested.isEmpty else {
            return (request.mainClass ?? "").isEmpty ? "Python" : "Java"
        }
        guard let match = applicationTypes.first(where: { $0.equalsIgnoringCase(requested) }) else {
            throw .badRequest("type must be one of \(applicationTypes.joined(separator: ", ")) (got \"\(requested)\")")
        }
        return match
    }

    private static func validateRestartPolicy(_ policy: RestartPolicy?) throws(SubmissionError) {
        guard let policy else { return }
        if let type = policy.type, !["Never", "Always", "OnFailure"].contains(type) {
            throw .badRequest("restartPolicy.type must be Never, Always or OnFailure (got \"\(type)\")")
        }
        for (name, value) in [
            ("onFailureRetries", policy.onFailureRetries), ("onSubmissionFailureRetries", policy.onSubmissionFailureRetries),
        ] {
            try check(value, in: RequestBounds.restartRetries, "restartPolicy.\(name)")
        }
        for (name, value) in [
            ("onFailureRetryInterval", policy.onFailureRetryInterval),
            ("onSubmissionFailureRetryInterval", policy.onSubmissionFailureRetryInterval),
        ] {
            try check(value, in: RequestBounds.restartRetryIntervalSeconds, "restartPolicy.\(name)", unit: " seconds")
        }
    }

    /// `<field> must be between <lower> and <upper>` unless `value` is nil or in `range`.
    static func check<T: Comparable & CustomStringConvertible>(
        _ value: T?, in range: ClosedRange<T>, _ field: @autoclosure () -> String, unit: String = ""
    ) throws(SubmissionError) {
        guard let value, !range.contains(value) else { return }
        throw .badRequest("\(field()) must be between \(range.lowerBound) and \(range.upperBound)\(unit) (got \(value))")
    }

    private static func validatePod(_ pod: SparkPodSpec?, role: String) throws(SubmissionError) {
        guard let pod else { return }
        try check(pod.cores, in: RequestBounds.cores, "\(role).cores")
        for (field, value) in [("coreLimit", pod.coreLimit), ("coreRequest", pod.coreRequest)] {
            guard let value else { continue }
            guard let quantity = try? Quantity(parsing: value), quantity.millis > 0 else {
                throw .badRequest(
                    "\(role).\(field) \"\(value)\" is not a valid CPU quantity (examples: 1, 1.5, 1200m)")
            }
            if !RequestBounds.cpuMillis.contains(quantity.millis) {
                throw .badRequest(
                    "\(role).\(field) must be between 1m and \(RequestBounds.cpuMillis.upperBound / 1000) cores (got \"\(value)\")")
            }
        }
        for (field, value) in [("memory", pod.memory), ("memoryOverhead", pod.memoryOverhead)] {
            guard let value else { continue }
            guard let size = try? MemorySize(parsing: value), size.bytes > 0 else {
                throw .badRequest(
                    "\(role).\(field) \"\(value)\" is not a valid memory size (use a unit, e.g. 512m, 2g, 2Gi)")
            }
            if !RequestBounds.memoryBytes.contains(size.bytes) {
                throw .badRequest(
                    "\(role).\(field) must be between 1b and \(RequestBounds.memoryBytes.upperBound >> 40)t (got \"\(value)\")")
            }
        }
        try check(
            pod.terminationGracePeriodSeconds, in: RequestBounds.terminationGracePeriodSeconds,
            "\(role).terminationGracePeriodSeconds")
        try check(pod.securityContext?.runAsUser, in: RequestBounds.runAsUser, "\(role).securityContext.runAsUser")
        let preferred = pod.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        for (index, term) in preferred.enumerated() {
            try check(
                term.weight, in: RequestBounds.affinityWeight,
                "\(role).affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[\(index)].weight")
        }
        for (key, value) in pod.labels ?? [:] where key != "dag_name" && key != "task_name" {
            if value.utf8.count > KubernetesName.maxLabelLength {
                throw .badRequest("\(role).labels.\(key) is longer than 63 characters")
            }
        }
    }

    private static func validateOverheadFactors(_ request: SubmitApplicationRequest) throws(SubmissionError) {
        for (field, value) in [
            ("driverOverheadFactor", request.driverOverheadFactor),
            ("executorOverheadFactor", request.executorOverheadFactor), ("overheadFactor", request.overheadFactor),
        ] {
            // NaN is in no range, so `contains` rejects it too.
            try check(value, in: RequestBounds.overheadFactor, field)
        }
    }
}
