import Foundation

/// What the monitor learns once the driver runs (BPG's `updateJobInfo` and `updateExecutorInfo`).
public struct JobInfo: Sendable, Equatable {
    /// The driver pod's start time; stored truncated to whole seconds.
    public var startTime: Date
    public var driverCores: Int?
    public var driverMemoryMb: Int?
    public var executorInstances: Int?
    public var executorCores: Int?
    public var executorMemoryMb: Int?
    public var dagName: String?
    public var taskName: String?
    public var appName: String?

    public init(
        startTime: Date, driverCores: Int? = nil, driverMemoryMb: Int? = nil, executorInstances: Int? = nil,
        executorCores: Int? = nil, executorMemoryMb: Int? = nil, dagName: String? = nil, taskName: String? = nil,
        appName: String? = nil
    ) {
        self.startTime = startTime
        self.driverCores = driverCores
        self.driverMemoryMb = driverMemoryMb
        self.executorInstances = executorInstances
        self.executorCores = executorCores
        self.executorMemoryMb = executorMemoryMb
        self.dagName = dagName
        self.taskName = taskName
        self.appName = appName
    }
}

/// Prices for BPG's cost column: `((executor MB × instances + driver MB) × memoryMbSecond +
/// (executor cores × instances + driver cores) × vCoreSecond) × seconds from start to finish`.
public struct CostRates: Sendable, Equatable {
    public var vCoreSecond: Double
    public var memoryMbSecond: Double

    public init(vCoreSecond: Double, memoryMbSecond: Double) {
        self.vCoreSecond = vCoreSecond
        self.memoryMbSecond = memoryMbSecond
    }

    /// BPG's formula; nil when a factor is unknown (as SQL arithmetic with NULL would give).
    func cost(of record: SubmissionRecord, finishedTime: Date) -> Decimal? {
        guard let start = record.startTime, let driverMemory = record.driverMemoryMb,
            let driverCores = record.driverCores, let instances = record.executorInstances,
            let executorMemory = record.executorMemoryMb, let executorCores = record.executorCores
        else { return nil }
        let seconds = (StoreTime.truncated(finishedTime).timeIntervalSince1970 - start.timeIntervalSince1970).rounded()
        let memory = Double(executorMemory * instances + driverMemory) * memoryMbSecond
        let cores = Double(executorCores * instances + driverCores) * vCoreSecond
        let value = (memory + cores) * seconds
        guard value.isFinite, abs(value) < 1e8 else { return nil }
        return Decimal(string: String(format: "%.2f", value))
    }
}
