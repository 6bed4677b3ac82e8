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
        // Work on indices: cluster configurations are large values, copying them dominated ranking.
        var remaining = Array(clusters.indices)
        var order: [Int] = []
        order.reserveCapacity(clusters.count)
        while remaining.count > 1 {
            var total = 0.0
            for index in remaining where weights[index] > 0 { total += weights[index] }
            guard total > 0 else { break }
            var draw = Double.random(in: 0..<total, using: &random)
            var chosen: Int? = nil
            var lastPositive = 0
            for (position, index) in remaining.enumerated() where weights[index] > 0 {
                lastPositive = position
                if draw < weights[index] {
                    chosen = position
                    break
                }
                draw -= weights[index]
            }
            // Rounding can leave `draw` past the last positive weight: take the last positive one.
            order.append(remaining.remove(at: chosen ?? lastPositive))
        }
        return (order + remaining).map { clusters[$0] }
    }
}
