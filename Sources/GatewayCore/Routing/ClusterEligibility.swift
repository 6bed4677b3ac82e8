/// BPG's cluster filters (docs/bpg-compatibility.md, "Cluster selection"): a pinned `clusterId`, else
/// weight > 0 and the Spark version, then the parent queue. The errors carry BPG's messages.
public enum ClusterEligibility {
    /// The clusters a request may go to, in configuration order, and whether it pinned one.
    public static func eligibleClusters(
        clusterId: String?, sparkVersion: String?, parentQueue: String, configuration: GatewayConfiguration
    ) throws(SubmissionError) -> (clusters: [SparkClusterConfiguration], pinned: Bool) {
        let version = sparkVersion ?? "null"
        if let clusterId, !clusterId.isEmpty {
            guard let cluster = configuration.sparkClusters.first(where: {
                $0.id == clusterId && $0.supportsSparkVersion(sparkVersion)
            }) else {
                throw .noCluster("Cluster with id \(clusterId) having Spark version \(version) not found")
            }
            return ([cluster], true)
        }
        let clusters = configuration.sparkClusters
        guard clusters.contains(where: { $0.weight > 0 && $0.supportsSparkVersion(sparkVersion) }) else {
            throw .noCluster("Spark version not supported: \(version)")
        }
        let queued = clusters.filter { $0.weight > 0 && $0.supportsSparkVersion(sparkVersion) && $0.servesQueue(parentQueue) }
        guard !queued.isEmpty else {
            throw .noCluster("Cluster with queue \(parentQueue) having Spark version \(version) not found")
        }
        return (queued, false)
    }
}
