/// Weighted random order where each cluster's weight shrinks as its backlog grows, so new jobs drift
/// towards clusters that can start them soon.
///
/// - With a known capacity `c`: effective = weight × max(0.01, 1 − (pending + running) / c). A full
///   cluster keeps 1 % of its weight, so it remains a last-resort candidate rather than vanishing.
/// - Without: effective = weight × h / (h + backlog), where backlog = pending + `runningWeight` × running
///   and `h` is the backlog at which the weight halves.
public struct BacklogAwarePolicy: RoutingPolicy {
    /// The backlog at which a cluster without a capacity gets half its weight.
    public var halfWeightBacklog: Double
    /// How much a running application counts compared with a pending one.
    public var runningWeight: Double

    public init(halfWeightBacklog: Double = 10, runningWeight: Double = 0) {
        self.halfWeightBacklog = max(halfWeightBacklog, 0.001)
        self.runningWeight = max(runningWeight, 0)
    }

    /// The weight routing uses for `cluster` under `load`.
    public func effectiveWeight(of cluster: SparkClusterConfiguration, load: ClusterLoad?) -> Double {
        let weight = Double(max(cluster.weight, 0))
        guard let load else { return weight }
        if let capacity = load.capacity, capacity > 0 {
            let used = Double(load.pending + load.running) / Double(capacity)
            return weight * max(0.01, 1 - used)
        }
        let backlog = Double(max(load.pending, 0)) + runningWeight * Double(max(load.running, 0))
        return weight * halfWeightBacklog / (halfWeightBacklog + backlog)
    }

    public func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
        if input.pinned || input.clusters.count <= 1 { return input.clusters }
        let weights = input.clusters.map { effectiveWeight(of: $0, load: input.load[$0.id]) }
        return Self.weightedOrder(input.clusters, weights: weights, using: &random)
    }
}
