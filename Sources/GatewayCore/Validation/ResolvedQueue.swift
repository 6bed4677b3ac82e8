/// The queue a submission runs in, decided once per request.
public struct ResolvedQueue: Hashable, Sendable {
    /// The full, normalised name (`parent.child`); the label is `root.<name>`.
    public var name: String
    /// The first dot-separated segment; clusters and placement are chosen by it.
    public var parent: String
    /// `queues` entry for the full name (case-insensitive), if configured.
    public var configuration: QueueConfiguration?
    /// `queues` entry for the parent name (case-insensitive): ratios, node labels, zones, max running time.
    public var parentConfiguration: QueueConfiguration?

    /// BPG's default queue.
    public static let defaultName = "poc"

    /// BPG's `normalizeQueue`: runs of dots collapse to one, leading and trailing dots are trimmed;
    /// nil when nothing is left.
    public static func normalize(_ name: String) -> String? {
        let utf8 = name.utf8
        if let first = utf8.first, let last = utf8.last, first != 46, last != 46, !name.contains("..") { return name }
        let parts = name.split(separator: ".", omittingEmptySubsequences: true)
        return parts.isEmpty ? nil : parts.joined(separator: ".")
    }

    /// `root.<name>`, the YuniKorn queue path used in the label and batch-scheduler options.
    public var yunikornPath: String { "root.\(name)" }
}
