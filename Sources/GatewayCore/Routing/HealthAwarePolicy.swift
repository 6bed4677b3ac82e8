/// Drops clusters whose health is ``ClusterHealth/down`` from another policy's ranking.
///
/// When every candidate is down the ranking is returned unchanged: a stale health signal should not
/// turn into a refusal, and the create itself is the most reliable probe.
public struct HealthAwarePolicy: RoutingPolicy {
    public var base: any RoutingPolicy

    public init(wrapping base: any RoutingPolicy) { self.base = base }

    public func rank<R: RandomNumberGenerator>(_ input: RoutingInput, using random: inout R) -> [SparkClusterConfiguration] {
        let ranked = base.rank(input, using: &random)
        guard ranked.contains(where: { input.health[$0.id] == .down }) else { return ranked }
        let healthy = ranked.filter { input.health[$0.id] != .down }
        return healthy.isEmpty ? ranked : healthy
    }
}
