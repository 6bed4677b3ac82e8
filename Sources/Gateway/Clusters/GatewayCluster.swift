import GatewayCore
import KubeClient

/// One configured Spark cluster with its Kubernetes API.
struct GatewayCluster: Sendable {
    var configuration: SparkClusterConfiguration
    var client: any SparkClusterAPI

    var id: String { configuration.id }
    /// Where the gateway creates `SparkApplication`s (BPG's `sparkApplicationNamespace`).
    var namespace: String { configuration.sparkApplicationNamespace ?? "default" }
}
