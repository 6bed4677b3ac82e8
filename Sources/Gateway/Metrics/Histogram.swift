import Synchronization

/// Observations counted into fixed buckets, with their sum and count.
///
/// Each series has its own small lock, held only to bump two numbers, so requests on different routes
/// never contend.
final class Histogram: MetricSeries {
    static let type = MetricType.histogram

    /// The Prometheus client libraries' default latency buckets, in seconds.
    static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        /// Per bucket (not cumulative); the last slot counts observations above every bound.
        var counts: [Int]
        var sum: Double = 0
        var count: Int = 0
    }

    /// Upper bounds, strictly increasing, without `+Inf`.
    let upperBounds: [Double]
    private let state: Mutex<State>

    init(upperBounds: [Double] = Histogram.defaultBuckets) {
        precondition(!upperBounds.isEmpty, "a histogram needs at least one bucket")
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "bucket bounds must increase")
        precondition(upperBounds.allSatisfy(\.isFinite), "+Inf is implicit")
        self.upperBounds = upperBounds
        self.state = Mutex(State(counts: Array(repeating: 0, count: upperBounds.count + 1)))
    }

    /// Records one observation (`le` is inclusive: a value equal to a bound falls in that bucket).
    func observe(_ value: Double) {
        let index = upperBounds.firstIndex { value <= $0 } ?? upperBounds.count
        state.withLock {
            $0.counts[index] += 1
            $0.sum += value
            $0.count += 1
        }
    }

    /// Cumulative counts per bound, `+Inf` last, with the sum and count, read consistently.
    func snapshot() -> (buckets: [(upperBound: Double, count: Int)], sum: Double, count: Int) {
        let state = state.withLock { $0 }
        var running = 0
        var buckets: [(upperBound: Double, count: Int)] = []
        for (index, count) in state.counts.enumerated() {
            running += count
            buckets.append((index < upperBounds.count ? upperBounds[index] : .infinity, running))
        }
        return (buckets, state.sum, state.count)
    }

    func render(name: String, labels: [(name: String, value: String)], into output: inout String) {
        let snapshot = snapshot()
        for bucket in snapshot.buckets {
            // `le` goes last, as the client libraries print it.
            let withBound = labels + [(name: "le", value: PrometheusText.format(bucket.upperBound))]
            output += "\(name)_bucket\(PrometheusText.labelSet(withBound)) \(bucket.count)\n"
        }
        let labelSet = PrometheusText.labelSet(labels)
        output += "\(name)_sum\(labelSet) \(PrometheusText.format(snapshot.sum))\n"
        output += "\(name)_count\(labelSet) \(snapshot.count)\n"
    }
}
