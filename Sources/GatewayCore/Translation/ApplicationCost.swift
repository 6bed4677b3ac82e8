/// Per-application cost from the configured rates (`memoryMbSecondCost`, `vCoreSecondCost`):
/// `((executorMemMb × n + driverMemMb) × memRate + (executorCores × n + driverCores) × coreRate) × seconds`.
public enum ApplicationCost {
    /// The cost, or nil when either rate is not configured.
    public static func cost(
        driverCores: Int, driverMemoryMb: Int64, executorCores: Int, executorMemoryMb: Int64, executorInstances: Int,
        runSeconds: Double, memoryMbSecondCost: Double?, vCoreSecondCost: Double?
    ) -> Double? {
        guard let memoryMbSecondCost, let vCoreSecondCost else { return nil }
        let memory = Double(executorMemoryMb) * Double(executorInstances) + Double(driverMemoryMb)
        let cores = Double(executorCores) * Double(executorInstances) + Double(driverCores)
        return (memory * memoryMbSecondCost + cores * vCoreSecondCost) * max(0, runSeconds)
    }

    /// The cost of `application` (resources from its spec) running for `runSeconds`.
    public static func cost(of application: SparkApplication, runSeconds: Double, configuration: GatewayConfiguration) -> Double? {
        let spec = application.spec
        func mebibytes(_ text: String?) -> Int64 { text.flatMap { try? MemorySize(parsing: $0) }?.mebibytes ?? 0 }
        return cost(
            driverCores: spec.driver.cores ?? 1, driverMemoryMb: mebibytes(spec.driver.memory),
            executorCores: spec.executor.cores ?? 1, executorMemoryMb: mebibytes(spec.executor.memory),
            executorInstances: spec.executor.instances ?? 1, runSeconds: runSeconds,
            memoryMbSecondCost: configuration.memoryMbSecondCost, vCoreSecondCost: configuration.vCoreSecondCost)
    }
}
