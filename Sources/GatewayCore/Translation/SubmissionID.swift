/// Submission ids, `<clusterId>-<32 lowercase hex>[-<suffix>]`, and their resolution back to a cluster.
public enum SubmissionID {
    /// The number of random hex characters.
    public static let randomLength = 32

    /// A new id for `clusterId`, the hex part drawn from `random` (a UUID's 128 bits, as BPG uses).
    public static func generate<R: RandomNumberGenerator>(clusterId: String, suffix: String?, using random: inout R) -> String {
        var id = clusterId + "-" + hex(random.next()) + hex(random.next())
        if let suffix, !suffix.isEmpty { id += "-" + suffix }
        return id
    }

    /// The length of an id for `clusterId` with `suffix`.
    public static func length(clusterId: String, suffix: String?) -> Int {
        clusterId.utf8.count + 1 + randomLength + ((suffix ?? "").isEmpty ? 0 : (suffix ?? "").utf8.count + 1)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 48, count: 16)
        var v = value
        for i in stride(from: 15, through: 0, by: -1) {
            bytes[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The cluster an id belongs to.
    ///
    /// Ids this gateway generates resolve by the longest configured cluster id followed by `-` and 32 hex
    /// characters (so ids like `spark-cluster-a` work); anything else falls back to BPG's rule, the text
    /// before the first `-`. Weight-0 clusters resolve, so drained clusters stay queryable.
    /// - Throws: 400 `submissionId <id> is invalid` or `Cluster <cid> (in submissionId: <id>) not exists`.
    public static func cluster(
        of submissionId: String, in clusters: [SparkClusterConfiguration]
    ) throws(SubmissionError) -> SparkClusterConfiguration {
        var best: SparkClusterConfiguration?
        for cluster in clusters where !cluster.id.isEmpty && matches(submissionId, clusterId: cluster.id) {
            if best == nil || cluster.id.utf8.count > best!.id.utf8.count { best = cluster }
        }
        if let best { return best }
        guard let dash = submissionId.firstIndex(of: "-"), dash != submissionId.startIndex else {
            throw .invalidSubmissionId("submissionId \(submissionId) is invalid")
        }
        let clusterId = String(submissionId[..<dash])
        guard let cluster = clusters.first(where: { $0.id == clusterId }) else {
            throw .invalidSubmissionId("Cluster \(clusterId) (in submissionId: \(submissionId)) not exists")
        }
        return cluster
    }

    private static func matches(_ id: String, clusterId: String) -> Bool {
        let idBytes = id.utf8
        let prefix = clusterId.utf8
        guard idBytes.count >= prefix.count + 1 + randomLength, idBytes.starts(with: prefix) else { return false }
        var index = idBytes.index(idBytes.startIndex, offsetBy: prefix.count)
        guard idBytes[index] == 45 else { return false }
        index = idBytes.index(after: index)
        for _ in 0..<randomLength {
            let b = idBytes[index]
            guard (b >= 48 && b <= 57) || (b >= 97 && b <= 102) else { return false }
            index = idBytes.index(after: index)
        }
        return index == idBytes.endIndex || idBytes[index] == 45
    }
}
