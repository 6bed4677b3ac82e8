import GatewayCore
import Testing

/// The cases of BPG's `SparkPodNodeAffinityHelperTest` and `ZoneManagerTest` (docs/bpg-compatibility.md,
/// "Node affinity and zones").
struct AffinityAndZoneTests {
    @Test(arguments: [(nil, nil), ("", nil), ("ZoneA", ["ZoneA"]), ("ZoneA,ZoneB", ["ZoneA", "ZoneB"])] as [(String?, [String]?)])
    func zoneRequirement(picked: String?, values: [String]?) {
        let requirement = NodeAffinityBuilder.zoneRequirement(pickedZones: picked)
        #expect(requirement?.values == values)
        if values != nil { #expect(requirement?.key == "topology.kubernetes.io/zone") }
    }

    @Test(arguments: [SparkRole.driver, .executor])
    func queueWithoutLabelValuesGetsOnlyTheZone(role: SparkRole) {
        let affinity = NodeAffinityBuilder.affinity(role: role, queue: QueueConfiguration(name: "test-queue"), spotInstance: false, pickedZones: "ZoneA")
        let terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        #expect(terms?.count == 1)
        #expect(terms?[0].matchExpressions == [.init(key: "topology.kubernetes.io/zone", operator: "In", values: ["ZoneA"])])
    }

    @Test func noZonesWithoutAllowedZones() {
        let picker = ZonePicker()
        #expect(picker.pick(for: QueueConfiguration(name: "q")) == nil)
        var empty = QueueConfiguration(name: "q")
        empty.allowedZones = []
        #expect(picker.pick(for: empty) == nil)
        #expect(picker.pick(for: nil) == nil)
    }

    @Test func roundRobinPerQueue() {
        let picker = ZonePicker()
        var q1 = QueueConfiguration(name: "q1")
        q1.allowedZones = ["ZoneA", "ZoneB"]
        var q2 = QueueConfiguration(name: "q2")
        q2.allowedZones = ["ZoneC", "ZoneD"]
        #expect([picker.pick(for: q1), picker.pick(for: q2), picker.pick(for: q2), picker.pick(for: q1), picker.pick(for: q1)]
            == [["ZoneA"], ["ZoneC"], ["ZoneD"], ["ZoneB"], ["ZoneA"]])
    }

    @Test func emptyZoneEntriesAreAConfigurationError() {
        var queue = QueueConfiguration(name: "q")
        queue.allowedZones = ["ZoneA", ""]
        var config = GatewayConfiguration()
        config.queues = [queue]
        #expect(config.validate().map(\.path) == ["queues[0].allowedZones[1]"])
    }
}
