/// A validated submission with its ranked candidate clusters; builds the object for whichever
/// candidate the server tries.
public struct SubmissionPlan: Sendable {
    public let request: SubmitApplicationRequest
    public let configuration: GatewayConfiguration
    /// Who the job runs as.
    public let proxyUser: String
    public let queue: ResolvedQueue
    public let validation: SubmissionValidator.Result
    public let image: String
    public let pickedZones: [String]?
    /// Clusters to try, best first (never empty).
    public let candidates: [SparkClusterConfiguration]

    /// A fresh submission id on `cluster`.
    public func submissionId<R: RandomNumberGenerator>(on cluster: SparkClusterConfiguration, using random: inout R) -> String {
        SubmissionID.generate(clusterId: cluster.id, suffix: request.submissionIdSuffix, using: &random)
    }

    /// The `SparkApplication` to create on `cluster`.
    public func application(on cluster: SparkClusterConfiguration, submissionId: String) -> SparkApplication {
        SparkApplicationTranslator.translate(
            .init(
                request: request, configuration: configuration, cluster: cluster, submissionId: submissionId,
                proxyUser: proxyUser, queue: queue, type: validation.type,
                maxRunningMillis: validation.maxRunningMillis, image: image, pickedZones: pickedZones))
    }
}
