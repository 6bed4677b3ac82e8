import Foundation
import Gateway
import GatewayCore
import KubeSimulator
import Logging

/// Three simulated Spark-on-Kubernetes clusters on loopback (HTTPS, as dev mode runs them) and the
/// gateway configuration pointing at them, so the portal runs without a real cluster:
///
/// | cluster     | weight | queues   | cost rate |
/// |-------------|--------|----------|-----------|
/// | `on-demand` | 50     | dev, poc | 0.12      |
/// | `spot`      | 50     | dev      | 0.04      |
/// | `reserved`  | 0      | dev, poc | 0.01      |
///
/// `reserved` is the cheapest but drained (weight 0), so BPG's rules never offer it; a `dev` job goes
/// to `spot`, a `poc` job to `on-demand`.
public struct DemoClusters: Sendable {
    public static let sparkVersion = "3.5.0"
    /// The portal's cost table: per vCore-hour, by cluster id.
    public static let costRates = ["on-demand": 0.12, "spot": 0.04, "reserved": 0.01]
    static let layout: [(id: String, weight: Int, queues: [String])] = [
        ("on-demand", 50, ["dev", "poc"]), ("spot", 50, ["dev"]), ("reserved", 0, ["dev", "poc"]),
    ]

    /// The simulated clusters by id.
    public let clusters: [String: SimulatedCluster]
    /// The gateway's configuration, loaded from an inline YAML document (BPG's file format).
    public let configuration: GatewayConfiguration

    /// Starts the clusters; `timings` is how long the simulated operator spends in each state.
    public static func start(
        timings: SimulatedOperatorTimings = SimulatedOperatorTimings(submission: .seconds(1), start: .seconds(1), run: .seconds(5)),
        logger: Logger = .disabled
    ) async throws -> DemoClusters {
        var started: [String: SimulatedCluster] = [:]
        do {
            for entry in layout {
                var configuration = SimulatedClusterConfiguration()
                configuration.bearerToken = "demo-\(UUID().uuidString.lowercased())"
                configuration.operatorTimings = timings
                configuration.logger = logger.withLabel("portal.simulator")
                let cluster = SimulatedCluster(configuration: configuration)
                started[entry.id] = cluster
                try cluster.start()
            }
            let text = configurationYAML(clusters: started)
            let loaded = try ConfigurationLoader.load(data: Data(text.utf8), name: "portal configuration")
            return DemoClusters(clusters: started, configuration: loaded.configuration)
        } catch {
            for cluster in started.values { await cluster.shutdown() }
            throw error
        }
    }

    public func shutdown() async {
        for cluster in clusters.values { await cluster.shutdown() }
    }

    /// BPG's configuration format, as a user would write it, with the simulated clusters' entries.
    static func configurationYAML(clusters: [String: SimulatedCluster]) -> String {
        var text = """
            applicationContextPath: /skatev2
            sparkImages:
              - name: apache/spark:\(sparkVersion)
                types: [Java, Scala]
                version: '\(sparkVersion)'
            queues:
              - name: dev
              - name: poc
            gateway:
              health:
                enabled: true
              routing:
                maxAttempts: 2
            sparkClusters:

            """
        for entry in layout {
            guard let cluster = clusters[entry.id] else { continue }
            text += cluster.sparkClusterEntryYAML(id: entry.id, weight: entry.weight, sparkVersion: sparkVersion, queues: entry.queues)
        }
        return text
    }

    /// BPG's SparkPi walkthrough job, for `queue`.
    public static func sparkPiRequest(queue: String) -> String {
        """
        {"applicationName":"SparkPi","queue":"\(queue)","sparkVersion":"\(sparkVersion)",\
        "mainApplicationFile":"local:///opt/spark/examples/jars/spark-examples.jar",\
        "mainClass":"org.apache.spark.examples.SparkPi","arguments":["100"],\
        "driver":{"cores":1,"memory":"1g"},"executor":{"instances":1,"cores":1,"memory":"1g"}}
        """
    }
}
