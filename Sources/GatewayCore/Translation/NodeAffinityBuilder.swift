/// Node affinity for driver and executor pods (docs/bpg-compatibility.md, "Node affinity and zones"): the
/// queue's node-label values and the picked zone. Returns nil instead of BPG's empty `nodeAffinity: {}`
/// when there is nothing to require.
public enum NodeAffinityBuilder {
    /// The zone label key.
    public static let zoneKey = "topology.kubernetes.io/zone"

    /// The zone requirement for `pickedZones` (a comma-separated list), or nil when empty.
    public static func zoneRequirement(pickedZones: String?) -> Affinity.NodeSelectorRequirement? {
        guard let pickedZones, !pickedZones.isEmpty else { return nil }
        let zones = pickedZones.split(separator: ",").map(String.init)
        return zones.isEmpty ? nil : .init(key: zoneKey, operator: "In", values: zones)
    }

    /// Affinity for one role, or nil when the queue has no label values and no zone was picked.
    public static func affinity(
        role: SparkRole, queue: QueueConfiguration?, spotInstance: Bool, pickedZones: String?
    ) -> Affinity? {
        affinity(role: role, queue: queue, spotInstance: spotInstance, zones: zoneRequirement(pickedZones: pickedZones)?.values)
    }

    /// Affinity for one role with the picked zones as a list.
    static func affinity(role: SparkRole, queue: QueueConfiguration?, spotInstance: Bool, zones: [String]?) -> Affinity? {
        var expressions: [Affinity.NodeSelectorRequirement] = []
        let key: String
        let values: [String]?
        switch role {
        case .driver:
            key = queue?.driverNodeLabelKey ?? QueueConfiguration.defaultNodeLabelKey
            values = queue?.driverNodeLabelValues
        case .executor:
            key = queue?.executorNodeLabelKey ?? QueueConfiguration.defaultNodeLabelKey
            values = spotInstance ? queue?.executorSpotNodeLabelValues : queue?.executorNodeLabelValues
        }
        if let values, !values.isEmpty { expressions.append(.init(key: key, operator: "In", values: values)) }
        if let zones, !zones.isEmpty { expressions.append(.init(key: zoneKey, operator: "In", values: zones)) }
        guard !expressions.isEmpty else { return nil }
        return Affinity(
            nodeAffinity: .init(
                requiredDuringSchedulingIgnoredDuringExecution: .init(nodeSelectorTerms: [
                    .init(matchExpressions: expressions)
                ])))
    }
}

/// The two pod roles of a Spark application.
public enum SparkRole: String, Hashable, Sendable {
    case driver
    case executor
}
