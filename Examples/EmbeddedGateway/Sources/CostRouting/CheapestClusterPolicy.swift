import GatewayCore

/// Routes each job to the cheapest cluster BPG's rules allow: the candidates in ascending order of
/// their cost rate.
///
/// The gateway applies BPG's eligibility first (a pinned `clusterId`, else weight > 0, the Spark
/// version and the parent queue; see `ClusterEligibility`), so a drained or unsuitable cluster never
/// reaches this policy however cheap it is. The policy only orders what it is given; the gateway
/// creates the application on the first candidate and fails over down the list.
///
/// Ties are broken deterministically: equal rates go by higher `weight`, then by configuration order.
/// A cluster without a rate (or with a rate that is not a number) counts as the most expensive, so a
/// new cluster is used only once the cheaper ones fail. A pinned request is left as it is.
///
/// Wrap it in `HealthAwarePolicy` to skip clusters whose health is down (a policy passed to
/// `GatewayService.Options.routingPolicy` replaces the configured one, health wrapping included):
///
/// ```swift
/// options.routingPolicy = HealthAwarePolicy(wrapping: CheapestClusterPolicy(rates: ["spot": 0.04, "on-demand": 0.12]))
/// ```
public struct CheapestClusterPolicy: RoutingPolicy {
    /// Cost per vCore-hour (any unit, as long as it is the same for every cluster) by cluster id.
    public var rates: [String: Double]

    public init(rates: [String: Double]) {
        self.rates = rates
    }

    /// The rate ranking uses for a cluster: unknown and NaN rates sort last.
    public func rate(of clusterId: String) -> Double {
        guard let rate = rates[clusterId], !rate.isNaN else { return .infinity }
        return rate
    }

    public func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
        if input.pinned || input.clusters.count <= 1 { return input.clusters }
        let clusters = input.clusters
        let costs = clusters.map { rate(of: $0.id) }
        // Sort indices, not configurations (they are large values), and compare the index last so the
        // order is total: the same input always gives the same ranking.
        let order = clusters.indices.sorted { a, b in
            if costs[a] != costs[b] { return costs[a] < costs[b] }
            if clusters[a].weight != clusters[b].weight { return clusters[a].weight > clusters[b].weight }
            return a < b
        }
        return order.map { clusters[$0] }
    }
}
