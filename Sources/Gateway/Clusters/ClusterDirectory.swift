import Foundation
import GatewayCore
import KubeClient
import Logging

/// The configured clusters, each with a connected client, looked up by id or by submission id.
struct ClusterDirectory: Sendable {
    let clusters: [GatewayCluster]
    /// The gateway's own cluster (in-cluster service account), used to read `k8s:secret:` settings.
    let localCluster: KubernetesClient?
    private let byId: [String: GatewayCluster]

    init(clusters: [GatewayCluster], localCluster: KubernetesClient? = nil) {
        self.clusters = clusters
        self.localCluster = localCluster
        byId = Dictionary(clusters.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func cluster(id: String) -> GatewayCluster? { byId[id] }

    /// The cluster a submission id belongs to: the longest configured id followed by `-` and 32 hex
    /// characters (so `spark-cluster-a-…` works, unlike BPG), else BPG's rule.
    func cluster(ofSubmission submissionId: String) throws(SubmissionError) -> GatewayCluster {
        let configuration = try SubmissionID.cluster(of: submissionId, in: clusters.map(\.configuration))
        guard let cluster = byId[configuration.id] else {
            throw .invalidSubmissionId("Cluster \(configuration.id) (in submissionId: \(submissionId)) not exists")
        }
        return cluster
    }

    /// Connects to every configured cluster. Secrets are resolved here (`plaintext:`, `localhost:env:`,
    /// `k8s:secret:`); a cluster whose settings cannot be used stops startup with its id and field.
    /// - Parameter provided: clients to use instead of connecting, by cluster id (an embedding
    ///   service's own, or in-process fakes in tests).
    static func connect(
        _ configuration: GatewayConfiguration, environment: [String: String], logger: Logger,
        provided: [String: any SparkClusterAPI] = [:]
    ) async throws -> ClusterDirectory {
        // `k8s:secret:` values are read from the cluster the gateway runs in, as BPG does.
        var localCluster: KubernetesClient?
        var localNamespace: String?
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            var local = try KubeClientConfiguration.inCluster(
                serviceHost: environment["KUBERNETES_SERVICE_HOST"], servicePort: environment["KUBERNETES_SERVICE_PORT"])
            local.logger = logger.withLabel("bpg.kube")
            localNamespace = local.defaultNamespace
            localCluster = try KubernetesClient(configuration: local)
        }
        let resolver = SecretValueResolver(
            environment: environment, localCluster: localCluster, localNamespace: localNamespace)
        var clusters: [GatewayCluster] = []
        for cluster in configuration.sparkClusters {
            if let client = provided[cluster.id] {
                clusters.append(GatewayCluster(configuration: cluster, client: client))
                continue
            }
            let client = try KubernetesClient(
                configuration: try await clientConfiguration(for: cluster, resolver: resolver, logger: logger))
            clusters.append(GatewayCluster(configuration: cluster, client: client))
        }
        return ClusterDirectory(clusters: clusters, localCluster: localCluster)
    }

    /// How a client reaches one configured cluster (secrets resolved): shared by the real connection
    /// and the in-process clients of dev mode and tests, so both see the same timeouts and credentials.
    static func clientConfiguration(
        for cluster: SparkClusterConfiguration, resolver: SecretValueResolver, logger: Logger
    ) async throws -> KubeClientConfiguration {
        let settings = ClusterConnectionSettings(
            id: cluster.id, masterURL: cluster.masterUrl ?? "", caCertData: cluster.caCertDataSOPS?.encoded,
            userToken: cluster.userTokenSOPS?.encoded, userName: cluster.userName,
            timeoutMillis: Int(cluster.timeoutMillis), httpProxy: cluster.httpProxy, httpsProxy: cluster.httpsProxy,
            namespace: cluster.sparkApplicationNamespace)
        var configuration = try await KubeClientConfiguration(settings: settings, resolver: resolver)
        configuration.logger = logger.withLabel("bpg.kube")
        configuration.userAgent = "bpg-swift"
        return configuration
    }

    func shutdown() async {
        for cluster in clusters { await cluster.client.shutdown() }
        await localCluster?.shutdown()
    }
}
