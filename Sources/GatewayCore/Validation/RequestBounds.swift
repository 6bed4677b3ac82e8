/// The ranges a request's numbers must fall in; anything outside is a 400 naming the field.
///
/// The bounds are far above any real Spark job, so no legitimate request is refused, and far enough
/// below the integer limits that every computation on them (scaling by a queue's buffer ratio of at
/// most ``ConfigurationBounds/bufferRatio``, summing over executors, converting to millicores or
/// bytes) stays exact and in range. Where Kubernetes or the Spark operator validates a field more
/// tightly (an `int32`, a weight of 1–100), the bound is theirs, so the mistake is reported by the
/// gateway with the field's name instead of by the API server at create time.
public enum RequestBounds {
    /// `driver.cores`, `executor.cores`: the largest machines offer a few hundred vCPUs.
    public static let cores: ClosedRange<Int> = 1...1024
    /// `coreRequest`, `coreLimit` in millicores: at least 1m, at most as many cores as `cores` allows.
    public static let cpuMillis: ClosedRange<Int64> = 1...1_024_000
    /// `memory`, `memoryOverhead` in bytes: at most 64 TiB per pod (the largest machines have 24 TiB).
    public static let memoryBytes: ClosedRange<Int64> = 1...(1 << 46)
    /// `terminationGracePeriodSeconds`: up to one year.
    public static let terminationGracePeriodSeconds: ClosedRange<Int64> = 0...31_536_000
    /// `restartPolicy.onFailureRetries`, `onSubmissionFailureRetries` (the operator's `int32`).
    public static let restartRetries: ClosedRange<Int> = 0...10_000
    /// `restartPolicy.onFailureRetryInterval`, `onSubmissionFailureRetryInterval`, seconds: up to a week.
    public static let restartRetryIntervalSeconds: ClosedRange<Int64> = 1...604_800
    /// `securityContext.runAsUser`: Kubernetes' own range.
    public static let runAsUser: ClosedRange<Int64> = 0...2_147_483_647
    /// `affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[].weight`: Kubernetes' own range.
    public static let affinityWeight: ClosedRange<Int> = 1...100
    /// `driverOverheadFactor`, `executorOverheadFactor`, `overheadFactor` (accepted and ignored, but
    /// stored with the request, which a non-finite number cannot be).
    public static let overheadFactor: ClosedRange<Double> = 0...100
}
