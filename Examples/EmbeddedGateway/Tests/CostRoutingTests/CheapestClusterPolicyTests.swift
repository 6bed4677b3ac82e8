import CostRouting
import GatewayCore
import Testing

/// The policy in isolation: plain values in, an order out. No gateway, no sockets, no clock.
struct CheapestClusterPolicyTests {
    static func cluster(_ id: String, weight: Int = 50, queues: [String] = ["dev"]) -> SparkClusterConfiguration {
        var cluster = SparkClusterConfiguration(id: id)
        cluster.weight = weight
        cluster.sparkVersions = ["3.5.0"]
        cluster.queues = queues
        return cluster
    }

    static let rates = ["on-demand": 0.12, "spot": 0.04, "reserved": 0.07]

    func ranked(_ input: RoutingInput, policy: any RoutingPolicy = CheapestClusterPolicy(rates: rates)) -> [String] {
        // A seeded source: a policy that used randomness would still give one answer per run.
        var random = SeededRandomNumberGenerator(seed: 7)
        return policy.rank(input, using: &random).map(\.id)
    }

    @Test func cheapestCandidateComesFirst() {
        let input = RoutingInput(clusters: [Self.cluster("on-demand"), Self.cluster("spot"), Self.cluster("reserved")])
        #expect(ranked(input) == ["spot", "reserved", "on-demand"])
    }

    @Test func rankingDoesNotDependOnTheRandomSource() {
        let input = RoutingInput(clusters: [Self.cluster("on-demand"), Self.cluster("spot"), Self.cluster("reserved")])
        let policy = CheapestClusterPolicy(rates: Self.rates)
        for seed in UInt64(0)..<20 {
            var random = SeededRandomNumberGenerator(seed: seed)
            #expect(policy.rank(input, using: &random).map(\.id) == ["spot", "reserved", "on-demand"])
        }
    }

    @Test func equalRatesGoByHigherWeightThenConfigurationOrder() {
        let rates = ["a": 0.05, "b": 0.05, "c": 0.05, "d": 0.01]
        let input = RoutingInput(clusters: [
            Self.cluster("a", weight: 10), Self.cluster("b", weight: 90), Self.cluster("c", weight: 10), Self.cluster("d", weight: 1),
        ])
        #expect(ranked(input, policy: CheapestClusterPolicy(rates: rates)) == ["d", "b", "a", "c"])
        // The same input in another configuration order: only the equal-rate, equal-weight pair moves.
        let reordered = RoutingInput(clusters: [
            Self.cluster("c", weight: 10), Self.cluster("d", weight: 1), Self.cluster("b", weight: 90), Self.cluster("a", weight: 10),
        ])
        #expect(ranked(reordered, policy: CheapestClusterPolicy(rates: rates)) == ["d", "b", "c", "a"])
    }

    @Test func clustersWithoutARateGoLastInConfigurationOrder() {
        let rates = ["spot": 0.04, "broken": Double.nan]
        let input = RoutingInput(clusters: [Self.cluster("new-1"), Self.cluster("broken"), Self.cluster("spot"), Self.cluster("new-2")])
        #expect(ranked(input, policy: CheapestClusterPolicy(rates: rates)) == ["spot", "new-1", "broken", "new-2"])
    }

    @Test func noCandidatesGiveAnEmptyRanking() {
        #expect(ranked(RoutingInput(clusters: [])) == [])
    }

    @Test func aPinnedClusterIsKeptWhateverItCosts() {
        let input = RoutingInput(clusters: [Self.cluster("on-demand")], pinned: true)
        #expect(ranked(input) == ["on-demand"])
    }

    /// The gateway's eligibility runs before the policy: a drained cluster (weight 0) or one that
    /// does not serve the queue is never a candidate, however cheap.
    @Test func onlyClustersBPGAllowsAreRanked() throws {
        var configuration = GatewayConfiguration()
        configuration.sparkClusters = [
            Self.cluster("on-demand", queues: ["dev", "poc"]),
            Self.cluster("spot", queues: ["dev"]),
            Self.cluster("reserved", weight: 0, queues: ["dev", "poc"]),
        ]
        let rates = ["on-demand": 0.12, "spot": 0.04, "reserved": 0.01]
        let policy = CheapestClusterPolicy(rates: rates)
        for (queue, expected) in [("dev", ["spot", "on-demand"]), ("poc", ["on-demand"])] {
            let eligible = try ClusterEligibility.eligibleClusters(
                clusterId: nil, sparkVersion: "3.5.0", parentQueue: queue, configuration: configuration)
            #expect(ranked(RoutingInput(clusters: eligible.clusters), policy: policy) == expected, "queue \(queue)")
        }
    }

    @Test(arguments: [
        // health by cluster id → the ranking with HealthAwarePolicy around the cheapest-first policy
        ([String: ClusterHealth](), ["spot", "reserved", "on-demand"]),
        (["spot": .down], ["reserved", "on-demand"]),
        (["spot": .degraded, "reserved": .unknown], ["spot", "reserved", "on-demand"]),
        (["spot": .down, "reserved": .down], ["on-demand"]),
        // Every candidate down: the ranking is kept (a stale signal must not refuse every job).
        (["spot": .down, "reserved": .down, "on-demand": .down], ["spot", "reserved", "on-demand"]),
    ])
    func composesWithHealthAwarePolicy(health: [String: ClusterHealth], expected: [String]) {
        let input = RoutingInput(
            clusters: [Self.cluster("on-demand"), Self.cluster("spot"), Self.cluster("reserved")], health: health)
        let policy = HealthAwarePolicy(wrapping: CheapestClusterPolicy(rates: Self.rates))
        #expect(ranked(input, policy: policy) == expected)
    }
}
