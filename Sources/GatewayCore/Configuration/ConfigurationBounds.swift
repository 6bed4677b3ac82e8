/// The ranges the configuration's numbers must fall in; `bpg check-config` (and startup) report any
/// value outside with its key path.
///
/// Each setting feeds arithmetic: ratios scale every pod's cores and memory, rates multiply resources
/// by seconds, weights are summed, durations are added to clock instants. The bounds are far above any
/// sensible setting and keep all of that exact and in range, together with ``RequestBounds``.
public enum ConfigurationBounds {
    /// `queues[].driverCPUBufferRatio`, `executorCPUBufferRatio`, `driverMemBufferRatio`,
    /// `executorMemBufferRatio`.
    public static let bufferRatio: ClosedRange<Double> = 0.01...100
    /// `memoryMbSecondCost`, `vCoreSecondCost`.
    public static let costRate: ClosedRange<Double> = 0...1_000_000
    /// `statusCacheExpireMillis`: up to an hour.
    public static let statusCacheExpireMillis: ClosedRange<Int64> = 0...3_600_000
    /// `queues[].maxRunningMillis`: up to a year.
    public static let maxRunningMillis: ClosedRange<Int64> = 1...31_536_000_000
    /// `queues[].maxExecutorInstances`.
    public static let maxExecutorInstances: ClosedRange<Int> = 1...1_000_000
    /// `sparkClusters[].weight`.
    public static let clusterWeight: ClosedRange<Int> = 0...1_000_000
    /// `sparkClusters[].timeoutMillis`: up to a day.
    public static let clusterTimeoutMillis: ClosedRange<Int64> = 1...86_400_000
    /// `sparkClusters[].ttlSeconds`: up to ten years.
    public static let ttlSeconds: ClosedRange<Int64> = 0...315_360_000
    /// `sparkClusters[].sparkUIOptions.servicePort`.
    public static let servicePort: ClosedRange<Int> = 1...65_535
    /// `gateway.routing.clusterCapacity.<id>`.
    public static let clusterCapacity: ClosedRange<Int> = 1...10_000_000
    /// `gateway.routing.maxAttempts`.
    public static let maxAttempts: ClosedRange<Int> = 1...100
    /// `gateway.routing.backlogHalfWeightPending`.
    public static let backlogHalfWeightPending: ClosedRange<Int> = 1...10_000_000
    /// `gateway.routing.runningWeight`.
    public static let runningWeight: ClosedRange<Double> = 0...1_000
    /// `gateway.health.probeIntervalMillis`: up to a day.
    public static let probeIntervalMillis: ClosedRange<Int64> = 1...86_400_000
    /// `gateway.health.probeTimeoutMillis`: up to an hour.
    public static let probeTimeoutMillis: ClosedRange<Int64> = 1...3_600_000
    /// `gateway.health.failureThreshold`, `recoveryThreshold`.
    public static let healthThreshold: ClosedRange<Int> = 1...10_000
}
