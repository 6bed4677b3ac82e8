import GatewayCore
import Testing

/// The cases of BPG's `generateSubmissionId` / `getClusterIdFromSubmissionId` (docs/bpg-compatibility.md,
/// "Submission ids"), and ids with `-` in the cluster id.
struct SubmissionIDTests {
    @Test(arguments: ["c01", "abc", "d01", "spark-cluster-a"])
    func generatedIdsHaveTheClusterPrefixAnd32Hex(cluster: String) {
        var random = SeededRandomNumberGenerator(seed: 4)
        let id = SubmissionID.generate(clusterId: cluster, suffix: nil, using: &random)
        #expect(id.hasPrefix(cluster + "-"))
        #expect(id.count == cluster.count + 33)
        #expect(id.suffix(32).allSatisfy { "0123456789abcdef".contains($0) })
        #expect(SubmissionID.generate(clusterId: cluster, suffix: "x", using: &random).hasSuffix("-x"))
    }

    static let clusters = ["c01", "ddd", "spark", "spark-cluster-a", "spark-cluster-ab"].map { SparkClusterConfiguration(id: $0) }
    static let hex = "0123456789abcdef0123456789abcdef"

    @Test(arguments: [
        ("c01-abc", "c01"), ("c01-123-abc", "c01"), ("ddd-abc", "ddd"),
        ("spark-cluster-a-\(hex)", "spark-cluster-a"), ("spark-cluster-a-\(hex)-loadtest", "spark-cluster-a"),
        ("spark-cluster-ab-\(hex)", "spark-cluster-ab"), ("spark-\(hex)", "spark"),
    ])
    func resolvesTheCluster(id: String, cluster: String) throws {
        #expect(try SubmissionID.cluster(of: id, in: Self.clusters).id == cluster)
    }

    @Test(arguments: [
        ("", "submissionId  is invalid"), ("invalid_string", "submissionId invalid_string is invalid"),
        ("-abc", "submissionId -abc is invalid"), ("zzz-abc", "Cluster zzz (in submissionId: zzz-abc) not exists"),
    ])
    func rejectsInvalidIds(id: String, message: String) {
        #expect(throws: SubmissionError.invalidSubmissionId(message)) { try SubmissionID.cluster(of: id, in: Self.clusters) }
    }
}
