/// Orders the eligible clusters for one submission, best first. The server creates the application on
/// the first candidate and fails over to the next when the create fails with a retryable error.
///
/// Policies are pure functions of their input and the random source, so they test without sockets.
/// To add your own, conform a type and pass it to ``SubmissionPlanner``; wrap another policy to
/// compose (``HealthAwarePolicy`` does):
///
/// ```swift
/// struct PreferCluster: RoutingPolicy {
///     var preferred: String
///     var base: any RoutingPolicy = WeightedRandomPolicy()
///     func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
///         let ranked = base.rank(input, using: &random)
///         return ranked.filter { $0.id == preferred } + ranked.filter { $0.id != preferred }
///     }
/// }
/// ```
public protocol RoutingPolicy: Sendable {
    /// The candidates in the order to try; a subset of `input.clusters` (a policy may drop some).
    func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration]
}

extension RoutingPolicy {
    /// Weighted random order: the first pick has probability weight/Σweight, then the same rule applies
    /// among the rest. Non-positive weights go last, in configuration order.
    static func weightedOrder<R: RandomNumberGenerator>(
        _ clusters: [SparkClusterConfiguration], weights: [Double], using random: inout R
    ) -> [SparkClusterConfiguration] {
        var remaining = Array(zip(clusters, weights))
        var ordered: [SparkClusterConfiguration] = []
        ordered.reserveCapacity(clusters.count)
        while true {
            let total = remaining.reduce(0.0) { $0 + max(0, $1.1) }
            guard total > 0, remaining.count > 1 else { break }
            var draw = Double.random(in: 0..<total, using: &random)
            var chosen = remaining.count - 1
            for (index, entry) in remaining.enumerated() where entry.1 > 0 {
                if draw < entry.1 {
                    chosen = index
                    break
                }
                draw -= entry.1
            }
            // Rounding can leave `draw` past the last positive weight: take the last positive one.
            if remaining[chosen].1 <= 0, let last = remaining.lastIndex(where: { $0.1 > 0 }) { chosen = last }
            ordered.append(remaining.remove(at: chosen).0)
        }
        return ordered + remaining.map(\.0)
    }
}
