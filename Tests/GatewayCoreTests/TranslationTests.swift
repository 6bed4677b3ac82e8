import Foundation
import GatewayCore
import JSON
import Testing

/// BPG's translation (docs/bpg-compatibility.md, "Translation to a SparkApplication"), with its
/// spec-building bugs fixed (named in the tests).
struct TranslationTests {
    static func config(queue: QueueConfiguration = QueueConfiguration(name: "poc")) -> GatewayConfiguration {
        var cluster = Fixtures.cluster("c01")
        cluster.sparkServiceAccount = "spark"
        return Fixtures.configuration(clusters: [cluster], queues: [queue])
    }

    func translate(
        _ request: SubmitApplicationRequest, config: GatewayConfiguration = config(), zonePicker: ZonePicker = ZonePicker()
    ) throws -> SparkApplication {
        var random = SeededRandomNumberGenerator(seed: 2)
        let plan = try SubmissionPlanner(configuration: config, zonePicker: zonePicker).plan(request, user: "alice", using: &random)
        return plan.application(on: plan.candidates[0], submissionId: plan.submissionId(on: plan.candidates[0], using: &random))
    }

    func request(driver: SparkPodSpec? = nil, executor: SparkPodSpec? = nil) -> SubmitApplicationRequest {
        var request = Fixtures.request()
        request.driver = driver
        request.executor = executor
        return request
    }

    func ratios(cpu: Double, mem: Double) -> QueueConfiguration {
        var queue = QueueConfiguration(name: "poc")
        queue.driverCPUBufferRatio = cpu
        queue.executorCPUBufferRatio = cpu
        queue.driverMemBufferRatio = mem
        queue.executorMemBufferRatio = mem
        return queue
    }

    @Test(arguments: [
        // (cores, coreLimit, cpu ratio) → (cores, coreLimit)
        (1, nil, 1.0, 1, "1000m"),  // BPG: "1000.0m"
        (2, nil, 1.5, 3, "4500m"),  // BPG: "4500.0m" (ratio applied to the scaled cores, kept)
        (2, "1200m", 1.0, 2, "1200m"),  // BPG: NumberFormatException (500)
        (2, "2", 1.5, 3, "3000m"),
        (1, "1.5", 1.0, 1, "1500m"),
    ] as [(Int, String?, Double, Int, String)])
    func cpuQuantitiesAreValidBPGBugFixed(cores: Int, limit: String?, ratio: Double, expectedCores: Int, expectedLimit: String) throws {
        let app = try translate(
            request(driver: SparkPodSpec(cores: cores, coreLimit: limit), executor: SparkPodSpec(cores: cores, coreLimit: limit)),
            config: Self.config(queue: ratios(cpu: ratio, mem: 1)))
        for pod in [app.spec.driver, app.spec.executor] {
            #expect(pod.cores == expectedCores)
            #expect(pod.coreLimit == expectedLimit)
        }
    }

    @Test(arguments: [
        ("2g", 1.0, "2g"), ("512m", 1.2, "615m"), ("1.5g", 1.0, "1536m"),  // BPG: "1g" (shrunk)
        ("1g", 1.2, "1229m"),  // BPG: "2g"
        ("2Gi", 1.0, "2g"), ("1536Mi", 1.0, "1536m"), ("3G", 1.0, "3g"),
    ])
    func memoryNeverShrinksBPGBugFixed(memory: String, ratio: Double, expected: String) throws {
        let app = try translate(
            request(driver: SparkPodSpec(memory: memory), executor: SparkPodSpec(memory: memory)),
            config: Self.config(queue: ratios(cpu: 1, mem: ratio)))
        #expect(app.spec.driver.memory == expected)
        #expect(app.spec.executor.memory == expected)
    }

    @Test func defaultsWhenRequestHasNoPods() throws {
        let app = try translate(request())
        #expect(app.spec.driver.cores == 1 && app.spec.driver.memory == "1g")
        #expect(app.spec.executor.cores == 1 && app.spec.executor.memory == "1g" && app.spec.executor.instances == 1)
        #expect(app.spec.driver.serviceAccount == "spark")
    }

    /// The CRD has `podName`/`kubernetesMaster` on the driver only and `instances`/`deleteOnTermination`
    /// on the executor only: a real API server prunes them from the other pod, so the gateway never
    /// sends them there, whichever pod of the request carried them.
    @Test func roleOnlyFieldsStayInTheirPod() throws {
        var everything = SparkPodSpec()
        everything.podName = "custom-driver"
        everything.kubernetesMaster = "k8s://https://kubernetes.default.svc"
        everything.instances = 3
        everything.deleteOnTermination = false
        let app = try translate(request(driver: everything, executor: everything))
        #expect(app.spec.driver.podName == "custom-driver")
        #expect(app.spec.driver.kubernetesMaster == "k8s://https://kubernetes.default.svc")
        #expect(app.spec.driver.instances == nil)
        #expect(app.spec.driver.deleteOnTermination == nil)
        #expect(app.spec.executor.podName == nil)
        #expect(app.spec.executor.kubernetesMaster == nil)
        #expect(app.spec.executor.instances == 3)
        #expect(app.spec.executor.deleteOnTermination == false)
        let wire = String(decoding: try JSONEncoder().encode(app), as: UTF8.self)
        let json = try JSONValue(parsing: wire)
        #expect(json[path: ["spec", "driver", "instances"]] == nil && json[path: ["spec", "driver", "deleteOnTermination"]] == nil)
        #expect(json[path: ["spec", "executor", "podName"]] == nil && json[path: ["spec", "executor", "kubernetesMaster"]] == nil)
    }

    @Test func executorSafeToEvictAlwaysMergedBPGBugFixed() throws {
        let app = try translate(request(driver: SparkPodSpec(annotations: ["a": "1"]), executor: SparkPodSpec(annotations: ["b": "2"])))
        #expect(app.spec.driver.annotations == ["a": "1", "cluster-autoscaler.kubernetes.io/safe-to-evict": "false"])
        #expect(app.spec.executor.annotations == ["b": "2", "cluster-autoscaler.kubernetes.io/safe-to-evict": "false"])
    }

    @Test func noEmptyNodeAffinityBPGBugFixed() throws {
        let app = try translate(request())
        #expect(app.spec.driver.affinity == nil)
        #expect(app.spec.executor.affinity == nil)
        let json = try JSONValue.encoding(app)
        #expect(json["spec"]?["driver"]?["affinity"] == nil)
    }

    @Test func requestAffinityIsKept() throws {
        let affinity = Affinity(nodeAffinity: .init(preferredDuringSchedulingIgnoredDuringExecution: [
            .init(weight: 10, preference: .init(matchExpressions: [.init(key: "k", operator: "Exists")]))
        ]))
        var queue = QueueConfiguration(name: "poc")
        queue.driverNodeLabelValues = ["x"]
        let app = try translate(request(driver: SparkPodSpec(affinity: affinity)), config: Self.config(queue: queue))
        #expect(app.spec.driver.affinity == affinity)
    }

    @Test func spotExecutorsUseSpotLabelValues() throws {
        var queue = QueueConfiguration(name: "poc")
        queue.executorNodeLabelKey = "pool"
        queue.executorNodeLabelValues = ["on-demand"]
        queue.executorSpotNodeLabelValues = ["spot"]
        var spot = request()
        spot.spotInstance = true
        let app = try translate(spot, config: Self.config(queue: queue))
        let expressions = app.spec.executor.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?
            .nodeSelectorTerms.first?.matchExpressions
        #expect(expressions == [.init(key: "pool", operator: "In", values: ["spot"])])
    }

    @Test func zonesKeptWhenRequestHasNoSparkConfBPGBugFixed() throws {
        var queue = QueueConfiguration(name: "poc")
        queue.allowedZones = ["ZoneA", "ZoneB"]
        let picker = ZonePicker()
        let first = try translate(request(), config: Self.config(queue: queue), zonePicker: picker)
        let second = try translate(request(), config: Self.config(queue: queue), zonePicker: picker)
        #expect(first.spec.sparkConf?["bpg.pickedZones"] == "ZoneA")
        #expect(second.spec.sparkConf?["bpg.pickedZones"] == "ZoneB")
        let zone = Affinity.NodeSelectorRequirement(key: "topology.kubernetes.io/zone", operator: "In", values: ["ZoneA"])
        for pod in [first.spec.driver, first.spec.executor] {
            #expect(pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms == [.init(matchExpressions: [zone])])
        }
    }

    @Test func usersCannotInjectPickedZones() throws {
        var injected = request()
        injected.sparkConf = ["bpg.pickedZones": "evil"]
        let app = try translate(injected)
        #expect(app.spec.sparkConf?["bpg.pickedZones"] == nil)
        #expect(app.spec.driver.affinity == nil)
    }

    @Test func requestVolumesAppearOnceBPGBugFixed() throws {
        var cluster = Fixtures.cluster("c01")
        cluster.volumes = [Volume(name: "cluster-vol", hostPath: .init(path: "/c"))]
        cluster.driver = SparkPodSpec(volumeMounts: [VolumeMount(name: "cluster-vol", mountPath: "/c")])
        let config = Fixtures.configuration(clusters: [cluster], queues: [QueueConfiguration(name: "poc")])
        var withVolumes = request(driver: SparkPodSpec(volumeMounts: [VolumeMount(name: "v", mountPath: "/v")]))
        withVolumes.volumes = [Volume(name: "v", configMap: .init(name: "cm"))]
        let app = try translate(withVolumes, config: config)
        #expect(app.spec.volumes == [Volume(name: "v", configMap: .init(name: "cm"))])
        #expect(app.spec.driver.volumeMounts == [VolumeMount(name: "v", mountPath: "/v")])

        let fromCluster = try translate(request(), config: config)
        #expect(fromCluster.spec.volumes == cluster.volumes)
        #expect(fromCluster.spec.driver.volumeMounts == [VolumeMount(name: "cluster-vol", mountPath: "/c")])
    }

    @Test func labelsAreNormalisedAndManagedByIsSet() throws {
        var odd = request(driver: SparkPodSpec(labels: ["dag_name": "my dag!", "team": "x"]))
        odd.applicationName = "My App (v2)"
        var random = SeededRandomNumberGenerator(seed: 2)
        let plan = try SubmissionPlanner(configuration: Self.config()).plan(odd, user: "alice", proxyUser: "bob@corp", using: &random)
        let app = plan.application(on: plan.candidates[0], submissionId: "c01-x")
        #expect(app.metadata.labels?["applicationName"] == "My0App00v20")
        #expect(app.metadata.labels?["proxyUser"] == "bob0corp")  // BPG: unnormalised, create fails
        #expect(app.spec.proxyUser == "bob@corp")
        #expect(app.spec.sparkConf?["spark.app.name"] == "My App (v2)")
        #expect(app.spec.driver.labels == ["dag_name": "my0dag0", "team": "x"])
        #expect(app.metadata.labels?[GatewayLabels.managedBy] == GatewayLabels.managedByValue)
    }

    @Test func uiOptionsAnnotationsSubstituteTheId() throws {
        var config = Self.config()
        config.sparkClusters[0].sparkUIOptions = SparkUIOptions(
            servicePort: 4040, ingressAnnotations: ["path": "/{spark-application-resource-name}"],
            ingressTLS: [.init(hosts: ["{spark-application-resource-name}.x"], secretName: "tls")])
        var random = SeededRandomNumberGenerator(seed: 2)
        let plan = try SubmissionPlanner(configuration: config).plan(request(), user: "alice", using: &random)
        let ui = plan.application(on: plan.candidates[0], submissionId: "c01-abc").spec.sparkUIOptions
        #expect(ui?.servicePort == 4040)
        #expect(ui?.ingressAnnotations == ["path": "/c01-abc"])
        #expect(ui?.ingressTLS?.first?.hosts == ["{spark-application-resource-name}.x"])
    }

    @Test func typeInferredFromMainClass() throws {
        var java = request()
        java.mainClass = "com.example.Main"
        #expect(try translate(java).spec.type == "Java")
        #expect(try translate(request()).spec.type == "Python")
    }

    @Test func noYunikornOptionsForOtherSchedulers() throws {
        var config = Self.config()
        config.sparkClusters[0].batchScheduler = "volcano"
        let app = try translate(request(), config: config)
        #expect(app.spec.batchScheduler == nil && app.spec.batchSchedulerOptions == nil)
    }
}
