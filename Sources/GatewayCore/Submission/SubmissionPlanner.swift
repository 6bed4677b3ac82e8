/// The submission pipeline up to (not including) the Kubernetes create: resolve the queue once, check
/// the queue token, validate, find the image, pick zones, filter and rank clusters. Every user error is
/// raised here, before anything is persisted or created.
///
/// ```swift
/// let planner = SubmissionPlanner(configuration: config, queueTokenVerifier: verifier)
/// var random = SystemRandomNumberGenerator()
/// let plan = try planner.plan(request, user: "alice", snapshot: snapshot, using: &random)
/// for cluster in plan.candidates.prefix(config.gateway.routing.maxAttempts) {
///     let id = plan.submissionId(on: cluster, using: &random)
///     let app = plan.application(on: cluster, submissionId: id)
///     // create `app`; on a retryable failure try the next cluster
/// }
/// ```
public struct SubmissionPlanner: Sendable {
    public let configuration: GatewayConfiguration
    public let routingPolicy: any RoutingPolicy
    public let queueTokenVerifier: (any QueueTokenVerifier)?
    public let zonePicker: ZonePicker

    /// BPG's Airflow system account: its submissions run as the `dagUser` query parameter.
    public static let airflowSystemAccounts: Set<String> = ["airflow_system_account"]

    /// - Parameter routingPolicy: nil selects the policy `gateway.routing` configures (weighted or
    ///   backlog-aware, wrapped in ``HealthAwarePolicy`` when `skipUnhealthyClusters`).
    public init(
        configuration: GatewayConfiguration, routingPolicy: (any RoutingPolicy)? = nil,
        queueTokenVerifier: (any QueueTokenVerifier)? = nil, zonePicker: ZonePicker = ZonePicker()
    ) {
        self.configuration = configuration
        self.routingPolicy = routingPolicy ?? Self.configuredPolicy(configuration.gateway.routing)
        self.queueTokenVerifier = queueTokenVerifier
        self.zonePicker = zonePicker
    }

    /// The policy `gateway.routing` describes.
    public static func configuredPolicy(_ routing: GatewaySettings.Routing) -> any RoutingPolicy {
        let base: any RoutingPolicy =
            switch routing.strategy {
            case .weighted: WeightedRandomPolicy()
            case .backlogAware:
                BacklogAwarePolicy(
                    halfWeightBacklog: Double(routing.backlogHalfWeightPending), runningWeight: routing.runningWeight)
            }
        return routing.skipUnhealthyClusters ? HealthAwarePolicy(wrapping: base) : base
    }

    /// The proxy user: `dagUser` for the Airflow system account, else the authenticated user.
    public static func proxyUser(authenticatedUser: String, dagUser: String?) -> String {
        airflowSystemAccounts.contains(authenticatedUser) ? (dagUser ?? "dagUser") : authenticatedUser
    }

    /// Plans a submission.
    /// - Parameters:
    ///   - user: the authenticated user (queue mapping).
    ///   - proxyUser: who the job runs as; default `user`.
    ///   - snapshot: cluster health and backlog for routing.
    public func plan<R: RandomNumberGenerator>(
        _ request: SubmitApplicationRequest, user: String, proxyUser: String? = nil,
        snapshot: RoutingSnapshot = RoutingSnapshot(), using random: inout R
    ) throws(SubmissionError) -> SubmissionPlan {
        let queue = QueueResolver.resolve(
            requestedQueue: request.queue, user: user, configuration: configuration, random: &random)
        try QueueTokenPolicy.check(
            queue: queue, token: request.queueToken, configuration: configuration, verifier: queueTokenVerifier)
        let validated = try SubmissionValidator.validate(request, queue: queue, configuration: configuration)
        let eligible = try ClusterEligibility.eligibleClusters(
            clusterId: request.clusterId, sparkVersion: request.sparkVersion, parentQueue: queue.parent,
            configuration: configuration)
        let image = try resolveImage(request, type: validated.type)
        try checkNameLengths(request, clusters: eligible.clusters)

        let input = RoutingInput(
            clusters: eligible.clusters, pinned: eligible.pinned, health: snapshot.health, load: snapshot.load)
        var candidates = routingPolicy.rank(input, using: &random)
        if candidates.isEmpty { candidates = eligible.clusters }
        return SubmissionPlan(
            request: request, configuration: configuration, proxyUser: proxyUser ?? user, queue: queue,
            validation: validated, image: image, pickedZones: zonePicker.pick(for: queue.parentConfiguration),
            candidates: candidates)
    }

    private func resolveImage(_ request: SubmitApplicationRequest, type: String) throws(SubmissionError) -> String {
        if let image = request.image, !image.isEmpty { return image }
        let version = request.sparkVersion ?? ""
        let match = configuration.sparkImages.first { image in
            image.version.equalsIgnoringCase(version)
                && image.types.contains { $0.equalsIgnoringCase(type) }
        }
        guard let match else { throw .badRequest("Spark image not found for type: \(type), version: \(version)") }
        return match.name
    }

    /// Kubernetes limits on names derived from the submission id: the object name and the operator's
    /// `sparkoperator.k8s.io/app-name` label (63), and Spark's executor pod-name prefix when the
    /// configuration sets it to the id (before Spark 3.4 the executor pod name had to be a DNS label,
    /// which leaves 47 characters for the prefix; from 3.4 on it is a DNS subdomain, 237).
    private func checkNameLengths(_ request: SubmitApplicationRequest, clusters: [SparkClusterConfiguration]) throws(SubmissionError) {
        let suffix = request.submissionIdSuffix
        let prefixLimit = Self.executorPodNamePrefixLimit(sparkVersion: request.sparkVersion)
        let key = "spark.kubernetes.executor.podNamePrefix"
        let fixedPrefixLength = (configuration.fixedSparkConf?[key] ?? request.sparkConf?[key]).map(\.utf8.count)
        let defaultPrefix = configuration.defaultSparkConf?[key]
        for cluster in clusters {
            let length = SubmissionID.length(clusterId: cluster.id, suffix: suffix)
            if length > KubernetesName.maxLabelLength {
                throw .badRequest(
                    "submissionIdSuffix is too long: the submission id on cluster \(cluster.id) would have \(length) characters (at most \(KubernetesName.maxLabelLength))"
                )
            }
            // The layer that wins in SparkConfMerger; only default and cluster values are substituted.
            let prefixLength =
                fixedPrefixLength
                ?? (cluster.sparkConf?[key] ?? defaultPrefix).map {
                    SparkConfMerger.substitutedLength($0, submissionIdLength: length)
                }
            if let prefixLength, prefixLength > prefixLimit {
                throw .badRequest(
                    "submissionIdSuffix is too long: spark.kubernetes.executor.podNamePrefix on cluster \(cluster.id) would have \(prefixLength) characters (Spark \(request.sparkVersion ?? "") allows at most \(prefixLimit))"
                )
            }
        }
    }

    /// 47 for Spark before 3.4 (SPARK-39614), else 237; unparsable versions get the larger limit.
    static func executorPodNamePrefixLimit(sparkVersion: String?) -> Int {
        let parts = (sparkVersion ?? "").split(separator: ".").prefix(2).map { Int($0) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return 237 }
        return (major, minor) < (3, 4) ? 47 : 237
    }
}
