/// Builds the `SparkApplication` for a validated request on a chosen cluster (docs/bpg-compatibility.md,
/// "Translation to a SparkApplication"), with BPG's spec-building bugs fixed (same document, "Known
/// BPG bugs and what we do instead").
public enum SparkApplicationTranslator {
    /// Pod resources BPG starts from before applying the request.
    public static let defaultCores = 1
    public static let defaultMemory = "1g"

    /// The inputs of one translation; ``SubmissionPlan`` fills them.
    public struct Input: Sendable {
        public var request: SubmitApplicationRequest
        public var configuration: GatewayConfiguration
        public var cluster: SparkClusterConfiguration
        public var submissionId: String
        /// The user the job runs as (`spec.proxyUser` and the `proxyUser` label).
        public var proxyUser: String
        public var queue: ResolvedQueue
        /// The operator application type (`Java`, `Scala`, `Python`, `R`).
        public var type: String
        public var maxRunningMillis: Int64
        /// The image: the request's or the configured one.
        public var image: String
        /// Zones picked for the queue, if any.
        public var pickedZones: [String]?

        public init(
            request: SubmitApplicationRequest, configuration: GatewayConfiguration, cluster: SparkClusterConfiguration,
            submissionId: String, proxyUser: String, queue: ResolvedQueue, type: String, maxRunningMillis: Int64,
            image: String, pickedZones: [String]?
        ) {
            self.request = request
            self.configuration = configuration
            self.cluster = cluster
            self.submissionId = submissionId
            self.proxyUser = proxyUser
            self.queue = queue
            self.type = type
            self.maxRunningMillis = maxRunningMillis
            self.image = image
            self.pickedZones = pickedZones
        }
    }

    /// The object to create.
    public static func translate(_ input: Input) -> SparkApplication {
        let request = input.request
        let cluster = input.cluster
        let queueConfig = input.queue.parentConfiguration

        var labels: [String: String] = [:]
        labels.reserveCapacity(5)
        labels[GatewayLabels.proxyUser] = GatewayLabels.normalizeLabelValue(input.proxyUser)
        labels[GatewayLabels.queue] = input.queue.yunikornPath
        labels[GatewayLabels.maxRunningMillis] = String(input.maxRunningMillis)
        labels[GatewayLabels.managedBy] = GatewayLabels.managedByValue
        if let name = request.applicationName {
            labels[GatewayLabels.applicationName] = GatewayLabels.normalizeLabelValue(name)
        }
        let metadata = ObjectMeta(name: input.submissionId, namespace: cluster.sparkApplicationNamespace, labels: labels)

        // The request layer carries the server-controlled zone key: users cannot inject it, and (unlike
        // BPG) a request without sparkConf still gets the picked zone.
        var requestConf = request.sparkConf
        requestConf?[SubmissionValidator.pickedZonesKey] = nil
        let pickedZones = input.pickedZones.flatMap { $0.isEmpty ? nil : $0.joined(separator: ",") }
        if let pickedZones {
            requestConf = requestConf ?? [:]
            requestConf?[SubmissionValidator.pickedZonesKey] = pickedZones
        }
        let sparkConf = SparkConfMerger.merge(
            defaults: input.configuration.defaultSparkConf, cluster: cluster.sparkConf, request: requestConf,
            fixed: input.configuration.fixedSparkConf, applicationName: request.applicationName,
            submissionId: input.submissionId, customImage: !(request.image ?? "").isEmpty)

        var spec = SparkApplicationSpec(
            type: input.type, sparkVersion: request.sparkVersion, mode: "cluster", proxyUser: input.proxyUser,
            image: input.image, imagePullPolicy: request.imagePullPolicy, mainClass: request.mainClass,
            mainApplicationFile: request.mainApplicationFile, arguments: request.arguments, sparkConf: sparkConf,
            volumes: volumes(request: request.volumes, cluster: cluster.volumes), deps: request.deps,
            restartPolicy: request.restartPolicy, pythonVersion: request.pythonVersion,
            timeToLiveSeconds: cluster.ttlSeconds)
        if cluster.batchScheduler == "yunikorn" {
            spec.batchScheduler = "yunikorn"
            spec.batchSchedulerOptions = BatchSchedulerOptions(queue: input.queue.yunikornPath)
        }
        if var ui = cluster.sparkUIOptions {
            ui.ingressAnnotations = ui.ingressAnnotations?.mapValues {
                SparkConfMerger.substitute($0, input.submissionId)
            }
            spec.sparkUIOptions = ui
        }
        spec.driver = pod(.driver, input: input, queue: queueConfig, pickedZones: pickedZones)
        spec.executor = pod(.executor, input: input, queue: queueConfig, pickedZones: pickedZones)
        return SparkApplication(metadata: metadata, spec: spec)
    }

    /// The request's volumes if any, else the cluster's, else nil; never duplicated (BPG appended the
    /// request's list to itself), and a repeated name keeps its first definition.
    public static func volumes(request: [Volume]?, cluster: [Volume]?) -> [Volume]? {
        let chosen = (request?.isEmpty == false ? request : nil) ?? (cluster?.isEmpty == false ? cluster : nil)
        guard let chosen else { return nil }
        var seen = Set<String>()
        return chosen.filter { seen.insert($0.name).inserted }
    }

    /// A queue's buffer ratio, or 1 when absent or unusable (configuration validation rejects those).
    static func usableRatio(_ ratio: Double?) -> Double {
        guard let ratio, ratio.isFinite, ratio > 0 else { return 1 }
        return ratio
    }

    static func pod(_ role: SparkRole, input: Input, queue: QueueConfiguration?, pickedZones: String?) -> SparkPodSpec {
        let request = input.request
        let requested = role == .driver ? request.driver : request.executor
        let clusterPod = role == .driver ? input.cluster.driver : input.cluster.executor
        var pod = requested ?? SparkPodSpec()
        pod.dnsConfig = nil  // BPG does not copy the request's dnsConfig.
        pod.cores = pod.cores ?? defaultCores
        pod.memory = pod.memory ?? defaultMemory
        if role == .executor { pod.instances = pod.instances ?? 1 }

        if var labels = pod.labels {
            for key in ["dag_name", "task_name"] {
                if let value = labels[key] { labels[key] = GatewayLabels.normalizeLabelValue(value) }
            }
            pod.labels = labels
        }

        if requested != nil, request.volumes?.isEmpty == false {
            // Keep the request's mounts.
        } else if let clusterPod, input.cluster.volumes?.isEmpty == false {
            pod.volumeMounts = clusterPod.volumeMounts
        }

        if role == .driver, (pod.serviceAccount ?? "").isEmpty {
            pod.serviceAccount = input.cluster.sparkServiceAccount
        }

        // Validation bounds the request and the configuration, so these stay far from the integer
        // limits; the saturating conversions keep translation total for any input all the same
        // (an embedder may translate without validating), because a trap here kills the server.
        let cpuRatio = usableRatio(role == .driver ? queue?.driverCPUBufferRatio : queue?.executorCPUBufferRatio)
        let memRatio = usableRatio(role == .driver ? queue?.driverMemBufferRatio : queue?.executorMemBufferRatio)
        let cores = max(1, Int(saturating: Double(pod.cores ?? defaultCores) * cpuRatio))
        pod.cores = cores
        if let limit = pod.coreLimit, let quantity = try? Quantity(parsing: limit) {
            pod.coreLimit = Quantity(millis: Int64(saturating: Double(quantity.millis) * cpuRatio)).millicoresString
        } else {
            // BPG: ceil(cores × 1000 × ratio) on the already-scaled cores, formatted as a valid quantity.
            pod.coreLimit = Quantity(millis: Int64(saturating: Double(cores) * 1000 * cpuRatio, rounding: .up))
                .millicoresString
        }
        if let memory = pod.memory, let size = try? MemorySize(parsing: memory) {
            pod.memory = size.scaled(by: memRatio).sparkString
        }
        if let overhead = pod.memoryOverhead, let size = try? MemorySize(parsing: overhead) {
            pod.memoryOverhead = size.sparkString
        }

        var annotations = pod.annotations ?? [:]
        annotations[GatewayLabels.safeToEvictAnnotation] = "false"
        pod.annotations = annotations

        if pod.affinity == nil {
            pod.affinity = NodeAffinityBuilder.affinity(
                role: role, queue: queue, spotInstance: request.spotInstance ?? false,
                zones: pickedZones == nil ? nil : input.pickedZones)
        }

        var env: [EnvVar]? = nil
        EnvMerger.merge(clusterPod?.env, into: &env)
        EnvMerger.merge(pod.env, into: &env)
        pod.env = env

        switch role {
        case .driver:
            pod.instances = nil
            pod.deleteOnTermination = nil
        case .executor:
            pod.podName = nil
            pod.kubernetesMaster = nil
            pod.dnsConfig = PodDNSConfig(options: [.init(name: "ndots", value: "1")])
        }
        return pod
    }
}
