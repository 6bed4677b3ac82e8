import Foundation

/// The log lines a SparkPi run prints, in the shape (timestamps, loggers) of a real Spark 3.5 driver.
enum SparkPiLog {
    static func timestamp(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", (value ?? 0) % 100) }
        return "\(two(c.year))/\(two(c.month))/\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    private static func line(_ level: String, _ logger: String, _ message: String) -> String {
        "\(timestamp()) \(level) \(logger): \(message)"
    }

    static func driverStart(app: String, namespace: String, sparkVersion: String, applicationID: String) -> [String] {
        [
            line("INFO", "SparkContext", "Running Spark version \(sparkVersion)"),
            line("INFO", "SparkContext", "Submitted application: Spark Pi"),
            line("INFO", "Utils", "Successfully started service 'sparkDriver' on port 7078."),
            line("INFO", "SparkUI", "Bound SparkUI to 0.0.0.0, and started at http://\(app)-ui-svc.\(namespace).svc:4040"),
            line("INFO", "KubernetesClusterSchedulerBackend", "Application ID is \(applicationID)"),
            line("INFO", "SparkContext", "Starting job: reduce at SparkPi.scala:38"),
        ]
    }

    static func driverProgress(executors: Int) -> [String] {
        var lines = [line("INFO", "DAGScheduler", "Got job 0 (reduce at SparkPi.scala:38) with 2 output partitions")]
        for task in 0..<2 {
            lines.append(
                line(
                    "INFO", "TaskSetManager",
                    "Finished task \(task).0 in stage 0.0 (TID \(task)) in \(Int.random(in: 300...900)) ms on 10.244.0.\(10 + task) (executor \(task % max(executors, 1) + 1)) (\(task + 1)/2)"
                ))
        }
        return lines
    }

    static func driverSuccess(app: String, namespace: String) -> [String] {
        let pi = 3.141 + Double.random(in: 0..<0.0009)
        return [
            line("INFO", "DAGScheduler", "Job 0 finished: reduce at SparkPi.scala:38, took 1.\(Int.random(in: 100...999)) s"),
            "Pi is roughly \(pi)",
            line("INFO", "SparkUI", "Stopped Spark web UI at http://\(app)-ui-svc.\(namespace).svc:4040"),
            line("INFO", "SparkContext", "Successfully stopped SparkContext"),
            line("INFO", "ShutdownHookManager", "Shutdown hook called"),
        ]
    }

    static func driverFailure() -> [String] {
        [
            line("ERROR", "SparkContext", "Error initializing SparkContext."),
            "Exception in thread \"main\" java.lang.RuntimeException: simulated application failure",
            "\tat org.apache.spark.examples.SparkPi$.main(SparkPi.scala:35)",
            "\tat org.apache.spark.examples.SparkPi.main(SparkPi.scala)",
            line("INFO", "ShutdownHookManager", "Shutdown hook called"),
        ]
    }

    static func executor(id: Int, driverPod: String) -> [String] {
        [
            line("INFO", "CoarseGrainedExecutorBackend", "Started daemon with process name: 14@exec-\(id)"),
            line("INFO", "CoarseGrainedExecutorBackend", "Connecting to driver: spark://CoarseGrainedScheduler@\(driverPod)-svc:7078"),
            line("INFO", "Executor", "Starting executor ID \(id) on host 10.244.0.\(10 + id)"),
            line("INFO", "Executor", "Finished task \(id - 1).0 in stage 0.0 (TID \(id - 1)). 957 bytes result sent to driver"),
        ]
    }
}
