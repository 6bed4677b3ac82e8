/// `spec.batchSchedulerOptions`. Only `queue` is set (BPG's extra `gang` and
/// `reservationTimeoutInSeconds` are not CRD fields and would be pruned).
public struct BatchSchedulerOptions: Codable, Hashable, Sendable {
    public var queue: String?
    public var priorityClassName: String?

    public init(queue: String? = nil, priorityClassName: String? = nil) {
        self.queue = queue
        self.priorityClassName = priorityClassName
    }
}
