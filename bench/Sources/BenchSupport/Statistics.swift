/// The one statistics helper of the benchmarks: every median, percentile, minimum and maximum they
/// print comes from here (the shell scripts reach it through `BenchKit stats`).
///
/// Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, NumPy's and
/// R's default): for `n` sorted values `x[0...n-1]` and `p` in 0...100, `h = (n - 1) · p / 100`, and
/// the percentile is `x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋])`. So `percentile(0)` is the minimum,
/// `percentile(100)` the maximum, and `percentile(50)` the usual median (the mean of the two middle
/// values of an even count).
///
///     let latencies = Sample([0.61, 0.58, 0.97, 0.60])
///     latencies.median          // 0.605
///     latencies.percentile(99)  // 0.9592
public struct Sample: Sendable {
    /// The values, ascending.
    public let sorted: [Double]

    public init(_ values: some Sequence<Double>) {
        sorted = values.sorted()
    }

    public var count: Int { sorted.count }
    public var isEmpty: Bool { sorted.isEmpty }
    public var min: Double { sorted.first ?? .nan }
    public var max: Double { sorted.last ?? .nan }
    public var mean: Double { sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count) }
    public var median: Double { percentile(50) }
    public var p50: Double { percentile(50) }
    public var p99: Double { percentile(99) }

    /// The `p`-th percentile (0...100) by linear interpolation between closest ranks; NaN when empty.
    public func percentile(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * Swift.min(Swift.max(p, 0), 100) / 100
        let lower = Int(h.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}

/// `value / reference`, the ratio every figure is printed with against its same-run reference.
public func ratio(_ value: Double, to reference: Double) -> Double {
    reference == 0 ? .nan : value / reference
}

/// The median of per-round ratios, for benchmarks whose every round measures the figure and its
/// reference back to back: a slow moment of a shared machine then affects both sides of one round.
public func medianRatio(_ values: [Double], to references: [Double]) -> Double {
    Sample(zip(values, references).map { ratio($0, to: $1) }).median
}
