/// Pod affinity; only node affinity is modelled, as in BPG.
public struct Affinity: Codable, Hashable, Sendable {
    /// `key operator values`, e.g. `topology.kubernetes.io/zone In [us-west-2a]`.
    public struct NodeSelectorRequirement: Codable, Hashable, Sendable {
        public var key: String
        public var `operator`: String
        public var values: [String]?
        public init(key: String, operator: String, values: [String]? = nil) {
            self.key = key
            self.operator = `operator`
            self.values = values
        }
    }

    /// Requirements that must all hold (ANDed).
    public struct NodeSelectorTerm: Codable, Hashable, Sendable {
        public var matchExpressions: [NodeSelectorRequirement]?
        public init(matchExpressions: [NodeSelectorRequirement]?) { self.matchExpressions = matchExpressions }
    }

    /// Terms of which one must hold (ORed).
    public struct NodeSelector: Codable, Hashable, Sendable {
        public var nodeSelectorTerms: [NodeSelectorTerm]
        public init(nodeSelectorTerms: [NodeSelectorTerm]) { self.nodeSelectorTerms = nodeSelectorTerms }
    }

    /// A weighted soft preference.
    public struct PreferredSchedulingTerm: Codable, Hashable, Sendable {
        public var weight: Int
        public var preference: NodeSelectorTerm
        public init(weight: Int, preference: NodeSelectorTerm) {
            self.weight = weight
            self.preference = preference
        }
    }

    /// Hard and soft node constraints.
    public struct NodeAffinity: Codable, Hashable, Sendable {
        public var requiredDuringSchedulingIgnoredDuringExecution: NodeSelector?
        public var preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]?
        public init(
            requiredDuringSchedulingIgnoredDuringExecution: NodeSelector? = nil,
            preferredDuringSchedulingIgnoredDuringExecution: [PreferredSchedulingTerm]? = nil
        ) {
            self.requiredDuringSchedulingIgnoredDuringExecution = requiredDuringSchedulingIgnoredDuringExecution
            self.preferredDuringSchedulingIgnoredDuringExecution = preferredDuringSchedulingIgnoredDuringExecution
        }
    }

    public var nodeAffinity: NodeAffinity?
    public init(nodeAffinity: NodeAffinity? = nil) { self.nodeAffinity = nodeAffinity }
}
