import Foundation
import GatewayCore

/// Configurations and requests shared by the tests.
enum Fixtures {
    /// The configuration of docs/bpg-compatibility.md, "Worked example".
    static var workedExampleConfiguration: GatewayConfiguration {
        var cluster = SparkClusterConfiguration(id: "c01")
        cluster.weight = 100
        cluster.sparkApplicationNamespace = "spark-applications"
        cluster.sparkServiceAccount = "spark"
        cluster.sparkVersions = ["3.2"]
        cluster.queues = ["poc"]
        cluster.ttlSeconds = 86400
        cluster.batchScheduler = "yunikorn"
        cluster.sparkConf = ["spark.kubernetes.executor.podNamePrefix": "{spark-application-resource-name}"]
        var queue = QueueConfiguration(name: "poc")
        queue.driverNodeLabelValues = ["spark_driver"]
        queue.executorNodeLabelValues = ["spark_executor"]
        var config = GatewayConfiguration()
        config.sparkClusters = [cluster]
        config.defaultSparkConf = ["a": "b"]
        config.sparkImages = [SparkImageConfiguration(name: "img-py", types: ["Python"], version: "3.2")]
        config.queues = [queue]
        config.allowedUsers = ["*"]
        return config
    }

    static let workedExampleRequest = #"{"sparkVersion":"3.2","mainApplicationFile":"s3a://b/app.py","driver":{"cores":1,"memory":"2g"},"executor":{"instances":1,"cores":1,"memory":"2g"}}"#

    static func cluster(
        _ id: String, weight: Int = 100, versions: [String] = ["3.1"], queues: [String] = ["poc"]
    ) -> SparkClusterConfiguration {
        var cluster = SparkClusterConfiguration(id: id)
        cluster.weight = weight
        cluster.sparkVersions = versions
        cluster.queues = queues
        cluster.sparkApplicationNamespace = "spark"
        return cluster
    }

    static func configuration(clusters: [SparkClusterConfiguration], queues: [QueueConfiguration]? = nil) -> GatewayConfiguration {
        var config = GatewayConfiguration()
        config.sparkClusters = clusters
        config.queues = queues
        config.sparkImages = [
            SparkImageConfiguration(name: "spark:any", types: ["Java", "Scala", "Python", "R"], version: "2.4"),
            SparkImageConfiguration(name: "spark:3.0", types: ["Java", "Scala", "Python", "R"], version: "3.0"),
            SparkImageConfiguration(name: "spark:3.1", types: ["Java", "Scala", "Python", "R"], version: "3.1"),
            SparkImageConfiguration(name: "spark:3.2", types: ["Java", "Scala", "Python", "R"], version: "3.2"),
        ]
        return config
    }

    static func request(version: String = "3.1", queue: String? = nil, clusterId: String? = nil) -> SubmitApplicationRequest {
        SubmitApplicationRequest(
            sparkVersion: version, mainApplicationFile: "s3a://bucket/app.py", clusterId: clusterId, queue: queue)
    }

    static func fixtureData(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
