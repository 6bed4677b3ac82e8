import Synchronization

/// Picks one zone per submission for queues with `allowedZones`, round-robin per queue, so a whole job
/// (driver and executors) stays in one availability zone. The counters live in this process, as in BPG.
public final class ZonePicker: Sendable {
    private let counters = Mutex<[String: Int]>([:])

    public init() {}

    /// The zones for a submission to `queue` (BPG uses the parent queue's entry): one zone, or nil when
    /// the queue has no `allowedZones`. Empty entries are skipped (configuration validation rejects them).
    public func pick(for queue: QueueConfiguration?) -> [String]? {
        guard let queue, let zones = queue.allowedZones?.filter({ !$0.isEmpty }), !zones.isEmpty else { return nil }
        let index = counters.withLock { counters in
            let next = counters[queue.name, default: 0]
            counters[queue.name] = next &+ 1
            return next
        }
        return [zones[index % zones.count]]
    }
}
