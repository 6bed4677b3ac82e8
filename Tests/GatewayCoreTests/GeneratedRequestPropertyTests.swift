import Foundation
import GatewayCore
import JSON
import Testing

/// Over generated requests and configurations (seeded), every emitted `SparkApplication` has the CRD's
/// required fields with the right types, no field outside the schema, and valid Kubernetes names.
struct GeneratedRequestPropertyTests {
    struct Generator {
        var random: SeededRandomNumberGenerator

        mutating func bool() -> Bool { Bool.random(using: &random) }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
        mutating func maybe<T>(_ make: (inout Generator) -> T) -> T? { bool() ? make(&self) : nil }
        mutating func word() -> String { pick(["alpha", "beta", "x", "data", "etl-job", "a.b", "Weird Name!", "ünïcode", ""]) }
        mutating func map() -> [String: String] {
            Dictionary(uniqueKeysWithValues: (0..<int(0...3)).map { i in ("k\(i).\(word())", word()) })
        }

        mutating func pod(executor: Bool) -> SparkPodSpec {
            var pod = SparkPodSpec()
            pod.cores = maybe { $0.int(1...8) }
            pod.coreRequest = maybe { $0.pick(["500m", "1", "1.5", "250m"]) }
            pod.coreLimit = maybe { $0.pick(["1200m", "2", "1.5", "4000m"]) }
            pod.memory = maybe { $0.pick(["512m", "2g", "1.5g", "2Gi", "3G", "1024k"]) }
            pod.memoryOverhead = maybe { $0.pick(["384m", "1g", "1Gi"]) }
            pod.image = maybe { _ in "registry/spark:custom" }
            pod.env = maybe { g in
                (0..<g.int(0...3)).map { i in
                    g.bool() ? EnvVar(name: "E\(i)", value: g.word())
                        : EnvVar(name: "E\(i)", valueFrom: .init(fieldRef: .init(fieldPath: "status.hostIP")))
                }
            }
            pod.labels = maybe { g in g.bool() ? ["dag_name": g.word(), "task_name": "t ask"] : ["team": "data"] }
            pod.annotations = maybe { $0.map() }
            pod.terminationGracePeriodSeconds = maybe { Int64($0.int(0...600)) }
            pod.serviceAccount = maybe { _ in "custom-sa" }
            pod.volumeMounts = maybe { g in [VolumeMount(name: "data", mountPath: "/data", readOnly: g.bool(), subPath: g.maybe { _ in "s" })] }
            pod.securityContext = maybe { g in SecurityContext(privileged: g.bool(), runAsUser: 185, allowPrivilegeEscalation: false) }
            pod.affinity = maybe { g in
                Affinity(nodeAffinity: .init(preferredDuringSchedulingIgnoredDuringExecution: [
                    .init(weight: g.int(1...100), preference: .init(matchExpressions: [.init(key: "k", operator: "Exists")]))
                ]))
            }
            pod.dnsConfig = maybe { _ in PodDNSConfig(options: [.init(name: "ndots", value: "5")]) }
            pod.javaOptions = maybe { _ in "-XX:+UseG1GC" }
            // Role-specific fields on the wrong role must be dropped by translation.
            pod.podName = maybe { _ in "my-driver" }
            pod.kubernetesMaster = maybe { _ in "k8s://https://x" }
            pod.instances = maybe { $0.int(1...50) }
            pod.deleteOnTermination = maybe { $0.bool() }
            return pod
        }

        mutating func configuration() -> GatewayConfiguration {
            var queues: [QueueConfiguration] = []
            for name in ["poc", "team", "team.child"] {
                var queue = QueueConfiguration(name: name)
                queue.driverNodeLabelValues = maybe { _ in ["driver-pool"] }
                queue.executorNodeLabelValues = maybe { _ in ["exec-pool"] }
                queue.executorSpotNodeLabelValues = maybe { _ in ["spot-pool"] }
                queue.allowedZones = maybe { _ in ["zone-a", "zone-b"] }
                queue.driverCPUBufferRatio = maybe { $0.pick([1.0, 1.5, 0.5]) }
                queue.executorMemBufferRatio = maybe { $0.pick([1.0, 1.2, 2.0]) }
                queues.append(queue)
            }
            var clusters: [SparkClusterConfiguration] = []
            for id in ["c01", "spark-cluster-a"] {
                var cluster = SparkClusterConfiguration(id: id)
                cluster.weight = int(1...100)
                cluster.sparkVersions = ["3.5.0"]
                cluster.queues = ["poc", "team"]
                cluster.sparkApplicationNamespace = "spark"
                cluster.sparkServiceAccount = maybe { _ in "spark" }
                cluster.batchScheduler = maybe { $0.pick(["yunikorn", "volcano"]) }
                cluster.ttlSeconds = maybe { _ in 86400 }
                cluster.sparkConf = maybe { _ in ["spark.kubernetes.executor.podNamePrefix": "{spark-application-resource-name}"] }
                cluster.sparkUIOptions = maybe { g in
                    SparkUIOptions(
                        servicePort: g.maybe { _ in 4040 }, ingressAnnotations: ["a": "/{spark-application-resource-name}"],
                        ingressTLS: [.init(hosts: ["h"], secretName: "s")])
                }
                cluster.volumes = maybe { _ in [Volume(name: "cv", hostPath: .init(path: "/cv"))] }
                cluster.driver = maybe { g in SparkPodSpec(env: [EnvVar(name: "C", value: "1")], volumeMounts: g.maybe { _ in [VolumeMount(name: "cv", mountPath: "/cv")] }) }
                cluster.executor = maybe { _ in SparkPodSpec(env: [EnvVar(name: "C", value: "2")]) }
                clusters.append(cluster)
            }
            var config = GatewayConfiguration()
            config.sparkClusters = clusters
            config.queues = queues
            config.sparkImages = [SparkImageConfiguration(name: "spark:3.5", types: ["Java", "Scala", "Python", "R"], version: "3.5.0")]
            config.defaultSparkConf = maybe { $0.map() }
            config.fixedSparkConf = maybe { _ in ["spark.authenticate": "true"] }
            return config
        }

        mutating func request() -> SubmitApplicationRequest {
            var r = SubmitApplicationRequest(sparkVersion: "3.5.0", mainApplicationFile: "s3a://bucket/app")
            r.submissionIdSuffix = maybe { $0.pick(["nightly", "a", "x-1"]) }
            r.applicationName = maybe { $0.word() }
            r.type = maybe { $0.pick(["java", "Scala", "PYTHON", "R"]) }
            r.mode = maybe { _ in "client" }
            r.image = maybe { _ in "registry/custom:1" }
            r.spotInstance = maybe { $0.bool() }
            r.mainClass = maybe { _ in "com.example.Main" }
            r.arguments = maybe { g in (0..<g.int(0...3)).map { _ in g.word() } }
            r.sparkConf = maybe { g in g.map().merging(g.bool() ? ["bpg.maxRunningMillis": "3600000"] : [:]) { a, _ in a } }
            r.volumes = maybe { g in
                [Volume(name: "data", hostPath: .init(path: "/data", type: g.maybe { _ in "Directory" })),
                 Volume(name: "cfg", configMap: .init(name: "cm")), Volume(name: "data", hostPath: .init(path: "/dup"))]
            }
            r.driver = maybe { $0.pod(executor: false) }
            r.executor = maybe { $0.pod(executor: true) }
            r.driverOverheadFactor = maybe { _ in 0.1 }
            r.deps = maybe { _ in Dependencies(jars: ["a.jar"], pyFiles: ["b.py"], packages: ["g:a:1"]) }
            r.pythonVersion = maybe { $0.pick(["2", "3"]) }
            r.imagePullPolicy = maybe { $0.pick(["Always", "IfNotPresent"]) }
            r.restartPolicy = maybe { g in
                RestartPolicy(type: g.pick(["Never", "Always", "OnFailure"]), onSubmissionFailureRetries: g.int(0...3),
                              onFailureRetries: g.int(0...3), onSubmissionFailureRetryInterval: 5, onFailureRetryInterval: 10)
            }
            r.queue = maybe { $0.pick(["poc", "team", "team.child", "..team..child."]) }
            r.clusterId = maybe { $0.pick(["c01", "spark-cluster-a"]) }
            return r
        }
    }

    static func isLabelValue(_ value: String) -> Bool {
        value.isEmpty || (value.utf8.count <= 63 && GatewayLabels.normalizeLabelValue(value) == value)
    }

    @Test(.enabled(if: SchemaChecker.realCRDIsAvailable, SchemaChecker.realCRDMissing), arguments: [101, 202, 303] as [UInt64])
    func everyEmittedObjectFitsTheCRD(seed: UInt64) throws {
        let checker = try SchemaChecker.loadRealCRD()
        var generator = Generator(random: SeededRandomNumberGenerator(seed: seed))
        for iteration in 0..<100 {
            let config = generator.configuration()
            let request = generator.request()
            // The submission-path decoder reads back what JSONEncoder wrote.
            #expect(try SubmitApplicationRequest.decode(json: JSONEncoder().encode(request)) == request)
            let plan: SubmissionPlan
            do {
                plan = try SubmissionPlanner(configuration: config).plan(request, user: "user\(iteration)", using: &generator.random)
            } catch {
                Issue.record("iteration \(iteration): generated request rejected: \(error)")
                continue
            }
            for cluster in plan.candidates {
                let id = plan.submissionId(on: cluster, using: &generator.random)
                let app = plan.application(on: cluster, submissionId: id)
                let json = try JSONValue.encoding(app)
                let problems = checker.problems(in: json)
                #expect(problems == [], "iteration \(iteration): \(problems)")
                #expect(KubernetesName.isDNSLabel(id), "\(id)")
                for (key, value) in app.metadata.labels ?? [:] {
                    #expect(Self.isLabelValue(value), "label \(key)=\(value)")
                }
                let names = app.spec.volumes?.map(\.name) ?? []
                #expect(Set(names).count == names.count, "duplicate volumes \(names)")
                #expect(app.spec.driver.instances == nil && app.spec.executor.podName == nil)
                #expect(app.spec.executor.annotations?[GatewayLabels.safeToEvictAnnotation] == "false")
                #expect(app.spec.driver.coreLimit?.hasSuffix("m") == true && app.spec.driver.coreLimit?.contains(".") == false)
                // The fast writer emits the same JSON as JSONEncoder, and it decodes back to the same object.
                #expect(try JSONValue(parsing: app.jsonData()) == json)
                let again = try JSONDecoder().decode(SparkApplication.self, from: app.jsonData())
                #expect(again == app)
            }
        }
    }
}
