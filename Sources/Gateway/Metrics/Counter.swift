import Synchronization

/// A monotonically increasing count. Lock-free: an increment is one atomic add.
final class Counter: MetricSeries {
    static let type = MetricType.counter
    private let count = Atomic<Int>(0)

    init() {}

    /// Adds `amount` (never negative: counters only go up).
    func increment(by amount: Int = 1) {
        precondition(amount >= 0, "a counter cannot decrease")
        count.add(amount, ordering: .relaxed)
    }

    /// The current count.
    var value: Int { count.load(ordering: .relaxed) }

    func render(name: String, labels: [(name: String, value: String)], into output: inout String) {
        output += "\(name)\(PrometheusText.labelSet(labels)) \(value)\n"
    }
}
