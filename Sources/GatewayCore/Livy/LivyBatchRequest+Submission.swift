import Foundation

extension LivyBatchRequest {
    /// The gateway request this batch becomes; everything after this (queue, validation, routing,
    /// records) is the gateway's submit pipeline.
    ///
    /// - `queue`, else `gateway.livy.defaultQueue`, else BPG's queue resolution;
    /// - the Spark version is `gateway.livy.sparkVersion`, else the highest in `sparkImages`;
    /// - the type follows the file: `.py` is Python, `.r`/`.R` is R, anything else Java (spark-submit
    ///   reads the main class of a jar without `className` from its manifest).
    public func submitRequest(settings: GatewaySettings.Livy, configuration: GatewayConfiguration) -> SubmitApplicationRequest {
        let lowercasedFile = file.lowercased()
        let type = lowercasedFile.hasSuffix(".py") ? "Python" : lowercasedFile.hasSuffix(".r") ? "R" : "Java"
        let deps = Dependencies(jars: jars, files: files, pyFiles: pyFiles, archives: archives)
        let hasDeps = jars != nil || files != nil || pyFiles != nil || archives != nil
        let driver = SparkPodSpec(cores: driverCores, memory: driverMemory)
        let executor = SparkPodSpec(cores: executorCores, memory: executorMemory, instances: numExecutors)
        return SubmitApplicationRequest(
            applicationName: name, type: type,
            sparkVersion: settings.sparkVersion ?? Self.defaultSparkVersion(configuration),
            mainClass: className, mainApplicationFile: file, arguments: args, sparkConf: conf,
            driver: driverCores == nil && driverMemory == nil ? nil : driver,
            executor: executorCores == nil && executorMemory == nil && numExecutors == nil ? nil : executor,
            deps: hasDeps ? deps : nil,
            queue: queue.flatMap { $0.isEmpty ? nil : $0 } ?? settings.defaultQueue)
    }

    /// The highest Spark version among the configured images (numerically, `3.10` after `3.9`).
    static func defaultSparkVersion(_ configuration: GatewayConfiguration) -> String? {
        configuration.sparkImages.map(\.version).max { lhs, rhs in
            lhs.compare(rhs, options: .numeric) == .orderedAscending
        }
    }

    /// A gateway validation message in Livy's field names: the pipeline names the gateway's fields
    /// (`driver.memory`), which a Livy client never sent.
    public static func livyFieldNames(in message: String) -> String {
        var result = message
        for (gateway, livy) in renamedFields {
            result = result.replacingOccurrences(of: gateway, with: livy)
        }
        return result
    }

    /// Longest first, so `executor.instances` is renamed before anything shorter could match inside it.
    private static let renamedFields: [(String, String)] = [
        ("mainApplicationFile", "file"), ("executor.instances", "numExecutors"), ("executor.memory", "executorMemory"),
        ("executor.cores", "executorCores"), ("driver.memory", "driverMemory"), ("driver.cores", "driverCores"),
        ("applicationName", "name"), ("sparkConf", "conf"), ("mainClass", "className"), ("arguments", "args"),
    ]
}
