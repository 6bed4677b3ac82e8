/// BPG's routing: weighted random order by the configured `weight`. The default policy.
public struct WeightedRandomPolicy: RoutingPolicy {
    public init() {}

    public func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
        if input.pinned || input.clusters.count <= 1 { return input.clusters }
        return Self.weightedOrder(input.clusters, weights: input.clusters.map { Double($0.weight) }, using: &random)
    }
}
