import GatewayCore
import Testing

/// The cases of BPG's `SparkClusterHelperTest` (docs/bpg-compatibility.md, "Cluster selection"), plus
/// the policies beyond BPG.
struct RoutingTests {
    func choose(
        _ config: GatewayConfiguration, _ request: SubmitApplicationRequest, user: String = "user99", seed: UInt64 = 7
    ) throws(SubmissionError) -> String {
        var random = SeededRandomNumberGenerator(seed: seed)
        return try SubmissionPlanner(configuration: config).plan(request, user: user, using: &random).candidates[0].id
    }

    static func counts(weights: [Int], draws: Int, seed: UInt64) -> [String: Int] {
        let clusters = weights.enumerated().map { Fixtures.cluster("c0\($0 + 1)", weight: $1) }
        var random = SeededRandomNumberGenerator(seed: seed)
        var counts: [String: Int] = [:]
        for _ in 0..<draws {
            let ranked = WeightedRandomPolicy().rank(RoutingInput(clusters: clusters), using: &random)
            counts[ranked[0].id, default: 0] += 1
        }
        return counts
    }

    @Test func bpgWeightingTestOverTenThousandRequests() throws {
        let config = Fixtures.configuration(clusters: [
            Fixtures.cluster("c01", weight: 10), Fixtures.cluster("c02", weight: 10), Fixtures.cluster("c03", weight: 80),
            Fixtures.cluster("c04", weight: 0), Fixtures.cluster("c05", weight: 80, versions: ["2.4"]),
        ])
        let planner = SubmissionPlanner(configuration: config)
        var random = SeededRandomNumberGenerator(seed: 42)
        var counts: [String: Int] = [:]
        for _ in 0..<10_000 {
            counts[try planner.plan(Fixtures.request(), user: "u", using: &random).candidates[0].id, default: 0] += 1
        }
        #expect(counts["c04"] == nil && counts["c05"] == nil)
        #expect((500...1500).contains(counts["c01", default: 0]))
        #expect((500...1500).contains(counts["c02", default: 0]))
        #expect((7500...8500).contains(counts["c03", default: 0]))
    }

    /// Weights 100/100/800 over 10,000 draws: each count within 4.5 standard deviations of n·p.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func weighted100_100_800WithinBinomialBounds(seed: UInt64) {
        let counts = Self.counts(weights: [100, 100, 800], draws: 10_000, seed: seed)
        for (id, p) in [("c01", 0.1), ("c02", 0.1), ("c03", 0.8)] {
            let mean = 10_000 * p
            let sd = (10_000 * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[id, default: 0]) - mean) <= 4.5 * sd, "\(id): \(counts)")
        }
    }

    @Test func rankingIsAPermutationOfAllEligibleClusters() {
        let clusters = [Fixtures.cluster("a", weight: 1), Fixtures.cluster("b", weight: 5), Fixtures.cluster("c", weight: 3)]
        var random = SeededRandomNumberGenerator(seed: 9)
        for _ in 0..<100 {
            let ranked = WeightedRandomPolicy().rank(RoutingInput(clusters: clusters), using: &random)
            #expect(Set(ranked.map(\.id)) == ["a", "b", "c"] && ranked.count == 3)
        }
    }

    @Test func secondCandidateFollowsTheWeightsOfTheRest() {
        // With weights 1/1/98 the heavy cluster is first almost always; the second is then 50/50.
        let clusters = [Fixtures.cluster("a", weight: 1), Fixtures.cluster("b", weight: 1), Fixtures.cluster("c", weight: 98)]
        var random = SeededRandomNumberGenerator(seed: 11)
        var second: [String: Int] = [:]
        for _ in 0..<4000 {
            let ranked = WeightedRandomPolicy().rank(RoutingInput(clusters: clusters), using: &random)
            if ranked[0].id == "c" { second[ranked[1].id, default: 0] += 1 }
        }
        let a = Double(second["a", default: 0])
        let b = Double(second["b", default: 0])
        #expect(abs(a - b) / (a + b) < 0.1, "\(second)")
    }

    @Test func versionAndQueueSelectsTheOnlyServingCluster() throws {
        let config = Fixtures.configuration(clusters: [
            Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: []), Fixtures.cluster("c02", versions: ["3.0", "3.1"]),
        ])
        #expect(try choose(config, Fixtures.request(version: "3.0")) == "c02")
    }

    @Test func noClusterServesTheDefaultQueue() {
        let config = Fixtures.configuration(clusters: [
            Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: []), Fixtures.cluster("c02", versions: ["3.0", "3.1"], queues: []),
        ])
        #expect(throws: SubmissionError.noCluster("Cluster with queue poc having Spark version 3.0 not found")) {
            try choose(config, Fixtures.request(version: "3.0"))
        }
    }

    @Test func pinnedClusterIgnoresQueueAndWeight() throws {
        let config = Fixtures.configuration(clusters: [
            Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: []),
            Fixtures.cluster("c02", weight: 0, versions: ["3.0", "3.1"], queues: []),
        ])
        #expect(try choose(config, Fixtures.request(version: "3.0", clusterId: "c02")) == "c02")
        #expect(throws: SubmissionError.noCluster("Cluster with id c02 having Spark version 2.4 not found")) {
            try choose(config, Fixtures.request(version: "2.4", clusterId: "c02"))
        }
    }

    @Test(arguments: [("3.0", "q2", "c01"), ("3.1", nil, "c02")] as [(String, String?, String)])
    func queueAndVersion(version: String, queue: String?, expected: String) throws {
        let config = Fixtures.configuration(
            clusters: [Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: ["q1", "q2"]), Fixtures.cluster("c02", versions: ["3.1"])],
            queues: [QueueConfiguration(name: "q1"), QueueConfiguration(name: "q2"), QueueConfiguration(name: "poc")])
        #expect(try choose(config, Fixtures.request(version: version, queue: queue)) == expected)
    }

    @Test(arguments: [("3.0", "c01"), ("3.1", "c02")], ["user1", "user2", "user99"])
    func userMappedQueues(versionAndCluster: (String, String), user: String) throws {
        var q2 = QueueConfiguration(name: "q2")
        q2.users = ["user1", "user2"]
        let config = Fixtures.configuration(
            clusters: [
                Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: ["q1", "q2", "poc"]),
                Fixtures.cluster("c02", versions: ["3.1"], queues: ["q1", "q2", "poc"]),
            ],
            queues: [QueueConfiguration(name: "q1"), q2, QueueConfiguration(name: "poc")])
        #expect(try choose(config, Fixtures.request(version: versionAndCluster.0), user: user) == versionAndCluster.1)
    }

    @Test func unsupportedVersion() {
        let config = Fixtures.configuration(clusters: [Fixtures.cluster("c01", versions: ["3.1"])])
        #expect(throws: SubmissionError.noCluster("Spark version not supported: 3.2")) {
            try choose(config, Fixtures.request(version: "3.2"))
        }
    }

    @Test func queueServedOnlyForAnotherVersion() {
        let config = Fixtures.configuration(
            clusters: [Fixtures.cluster("c01", versions: ["2.4", "3.0"], queues: ["q2"]), Fixtures.cluster("c02", versions: ["3.1"], queues: ["poc"])],
            queues: [QueueConfiguration(name: "q2"), QueueConfiguration(name: "poc")])
        #expect(throws: SubmissionError.noCluster("Cluster with queue q2 having Spark version 3.1 not found")) {
            try choose(config, Fixtures.request(version: "3.1", queue: "q2"))
        }
    }

    @Test func mappedUserWithNoClusterForItsQueue() {
        var q2 = QueueConfiguration(name: "q2")
        q2.users = ["user1"]
        let config = Fixtures.configuration(
            clusters: [Fixtures.cluster("c01", versions: ["3.0"], queues: ["q2"]), Fixtures.cluster("c02", versions: ["3.1"], queues: [])],
            queues: [q2])
        #expect(throws: SubmissionError.self) { try choose(config, Fixtures.request(version: "3.1"), user: "user1") }
    }

    @Test func twoClustersServingTheQueueAreBothChosen() throws {
        let config = Fixtures.configuration(
            clusters: [Fixtures.cluster("c01", versions: ["3.0"], queues: ["q2"]), Fixtures.cluster("c02", versions: ["3.0"], queues: ["q2"])],
            queues: [QueueConfiguration(name: "q2")])
        let picks = Set(try (0..<50).map { try choose(config, Fixtures.request(version: "3.0", queue: "q2"), seed: UInt64($0)) })
        #expect(picks == ["c01", "c02"])
    }

    // MARK: Beyond BPG

    @Test func downClustersAreSkippedUnlessAllAreDown() {
        let clusters = [Fixtures.cluster("a", weight: 100), Fixtures.cluster("b", weight: 1)]
        let policy = HealthAwarePolicy(wrapping: WeightedRandomPolicy())
        var random = SeededRandomNumberGenerator(seed: 5)
        for _ in 0..<50 {
            let ranked = policy.rank(RoutingInput(clusters: clusters, health: ["a": .down, "b": .up]), using: &random)
            #expect(ranked.map(\.id) == ["b"])
        }
        let allDown = policy.rank(RoutingInput(clusters: clusters, health: ["a": .down, "b": .down]), using: &random)
        #expect(Set(allDown.map(\.id)) == ["a", "b"])
    }

    @Test func backlogShrinksTheEffectiveWeight() {
        let policy = BacklogAwarePolicy(halfWeightBacklog: 10)
        let cluster = Fixtures.cluster("a", weight: 100)
        #expect(policy.effectiveWeight(of: cluster, load: nil) == 100)
        #expect(policy.effectiveWeight(of: cluster, load: ClusterLoad(pending: 0)) == 100)
        #expect(policy.effectiveWeight(of: cluster, load: ClusterLoad(pending: 10)) == 50)
        #expect(policy.effectiveWeight(of: cluster, load: ClusterLoad(pending: 30)) == 25)
        #expect(policy.effectiveWeight(of: cluster, load: ClusterLoad(pending: 5, running: 15, capacity: 40)) == 50)
        #expect(policy.effectiveWeight(of: cluster, load: ClusterLoad(pending: 50, running: 0, capacity: 40)) == 1)
    }

    @Test func backlogAwareRoutingPrefersTheIdleCluster() {
        let clusters = [Fixtures.cluster("busy", weight: 100), Fixtures.cluster("idle", weight: 100)]
        let input = RoutingInput(clusters: clusters, load: ["busy": ClusterLoad(pending: 90), "idle": ClusterLoad(pending: 0)])
        var random = SeededRandomNumberGenerator(seed: 13)
        var idleFirst = 0
        for _ in 0..<1000 where BacklogAwarePolicy().rank(input, using: &random)[0].id == "idle" { idleFirst += 1 }
        // Effective weights 10 vs 100: idle first with probability 100/110.
        #expect((860...950).contains(idleFirst), "\(idleFirst)")
    }

    @Test func configuredPolicyFollowsTheGatewaySection() {
        var routing = GatewaySettings.Routing()
        #expect(SubmissionPlanner.configuredPolicy(routing) is HealthAwarePolicy)
        routing.skipUnhealthyClusters = false
        #expect(SubmissionPlanner.configuredPolicy(routing) is WeightedRandomPolicy)
        routing.strategy = .backlogAware
        #expect(SubmissionPlanner.configuredPolicy(routing) is BacklogAwarePolicy)
    }

    struct PreferCluster: RoutingPolicy {
        var preferred: String
        func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
            let ranked = WeightedRandomPolicy().rank(input, using: &random)
            return ranked.filter { $0.id == preferred } + ranked.filter { $0.id != preferred }
        }
    }

    @Test func embeddersCanSupplyTheirOwnPolicy() throws {
        let config = Fixtures.configuration(clusters: [Fixtures.cluster("c01", weight: 1000), Fixtures.cluster("c02", weight: 1)])
        let planner = SubmissionPlanner(configuration: config, routingPolicy: PreferCluster(preferred: "c02"))
        var random = SeededRandomNumberGenerator(seed: 1)
        #expect(try planner.plan(Fixtures.request(), user: "u", using: &random).candidates.map(\.id) == ["c02", "c01"])
    }
}
