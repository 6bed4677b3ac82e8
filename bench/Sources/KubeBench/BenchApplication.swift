import Foundation
import KubeClient

/// A SparkApplication as a gateway's monitor decodes it: typed metadata, spec essentials and status.
struct BenchApplication: KubeObject {
    struct Spec: Codable, Sendable {
        struct Pod: Codable, Sendable {
            var cores: Int?
            var memory: String?
            var instances: Int?
            var serviceAccount: String?
            var labels: [String: String]?
        }
        var type: String
        var mode: String?
        var sparkVersion: String
        var image: String?
        var mainClass: String?
        var mainApplicationFile: String
        var arguments: [String]?
        var sparkConf: [String: String]?
        var driver: Pod
        var executor: Pod
    }
    struct Status: Codable, Sendable {
        struct State: Codable, Sendable {
            var state: String
            var errorMessage: String?
        }
        struct DriverInfo: Codable, Sendable {
            var podName: String?
            var webUIServiceName: String?
            var webUIPort: Int?
        }
        var applicationState: State?
        var driverInfo: DriverInfo?
        var sparkApplicationId: String?
        var submissionID: String?
        var lastSubmissionAttemptTime: String?
        var executionAttempts: Int?
        var executorState: [String: String]?
    }
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: Spec
    var status: Status?

    static func sample(_ index: Int, version: Int) -> BenchApplication {
        var metadata = ObjectMeta(
            name: "bench-\(index)", namespace: "bench",
            labels: ["spark-app-name": "bench-\(index)", "bpg/queue": "poc", "bpg/user": "alice", "bpg/cluster": "c01"],
            annotations: ["bpg/submission-id": "c01-\(UUID().uuidString.lowercased())"], resourceVersion: String(version))
        metadata.uid = UUID().uuidString.lowercased()
        metadata.creationTimestamp = "2026-11-25T12:00:00Z"
        metadata.generation = 1
        let conf = Dictionary(uniqueKeysWithValues: (0..<12).map { ("spark.bench.option\($0)", "value-\($0)") })
        return BenchApplication(
            apiVersion: "sparkoperator.k8s.io/v1beta2", kind: "SparkApplication", metadata: metadata,
            spec: Spec(
                type: "Scala", mode: "cluster", sparkVersion: "3.5.3", image: "spark:3.5.3",
                mainClass: "org.apache.spark.examples.SparkPi",
                mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar", arguments: ["1000"],
                sparkConf: conf,
                driver: .init(cores: 1, memory: "2g", serviceAccount: "spark", labels: ["role": "driver"]),
                executor: .init(cores: 2, memory: "4g", instances: 4, labels: ["role": "executor"])),
            status: Status(
                applicationState: .init(state: "RUNNING"),
                driverInfo: .init(podName: "bench-\(index)-driver", webUIServiceName: "bench-\(index)-ui-svc", webUIPort: 4040),
                sparkApplicationId: "spark-\(index)", submissionID: UUID().uuidString.lowercased(),
                lastSubmissionAttemptTime: "2026-11-25T12:00:01Z", executionAttempts: 1,
                executorState: ["bench-\(index)-exec-1": "RUNNING", "bench-\(index)-exec-2": "RUNNING"]))
    }
}
