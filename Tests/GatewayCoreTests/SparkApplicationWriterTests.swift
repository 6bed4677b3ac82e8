import Foundation
import GatewayCore
import JSON
import Testing

/// `SparkApplication.jsonData()` writes the submission-path object by hand (a tenth of the encoder's
/// cost, see bench/README.md); these tests keep it equal to the model's own `Encodable` form, so a
/// field added to a pod spec or to the request's nested types cannot be dropped from the emitted
/// object unnoticed.
struct SparkApplicationWriterTests {
    /// A pod spec with every property set; a new property fails `fixturesSetEveryProperty` until it
    /// is set here too.
    static let pod = SparkPodSpec(
        cores: 2, coreRequest: "1500m", coreLimit: "2", memory: "4g", memoryOverhead: "1g", image: "d:1",
        env: [EnvVar(name: "A", value: "1"), EnvVar(name: "H", valueFrom: .init(fieldRef: .init(fieldPath: "status.hostIP", apiVersion: "v1")))],
        labels: ["b": "2", "a": "1"], annotations: ["x": "y"], terminationGracePeriodSeconds: 30, serviceAccount: "sa",
        volumeMounts: [VolumeMount(name: "data", mountPath: "/data", readOnly: true, subPath: "s")],
        securityContext: SecurityContext(privileged: false, runAsUser: 185, allowPrivilegeEscalation: false),
        affinity: Affinity(nodeAffinity: .init(
            requiredDuringSchedulingIgnoredDuringExecution: .init(nodeSelectorTerms: [.init(matchExpressions: [.init(key: "z", operator: "Exists")])]),
            preferredDuringSchedulingIgnoredDuringExecution: [.init(weight: 5, preference: .init(matchExpressions: [.init(key: "k", operator: "In", values: ["a"])]))])),
        dnsConfig: PodDNSConfig(nameservers: ["1.1.1.1"], searches: ["svc"], options: [.init(name: "ndots", value: "1")]),
        javaOptions: "-Dx=y", podName: "p", kubernetesMaster: "k8s://x", instances: 3, deleteOnTermination: false)
    static let deps = Dependencies(
        jars: ["a.jar"], files: ["f"], pyFiles: ["p.py"], packages: ["g:a:1"], excludePackages: ["g:b"], repositories: ["https://r"],
        archives: ["x.zip"])
    static let restartPolicy = RestartPolicy(
        type: "OnFailure", onSubmissionFailureRetries: 1, onFailureRetries: 2, onSubmissionFailureRetryInterval: 10, onFailureRetryInterval: 20)
    static let volumes = [Volume(name: "data", hostPath: .init(path: "/data", type: "Directory")), Volume(name: "cfg", configMap: .init(name: "cm"))]

    static func unset(in value: Any) -> [String] {
        Mirror(reflecting: value).children.filter { "\($0.value)" == "nil" }.compactMap(\.label)
    }

    @Test func fixturesSetEveryProperty() {
        #expect(Self.unset(in: Self.pod) == [])
        #expect(Self.unset(in: Self.deps) == [])
        #expect(Self.unset(in: Self.restartPolicy) == [])
        #expect(Self.unset(in: Self.pod.securityContext!) == [])
    }

    @Test func theWriterEmitsWhatTheModelEncodes() throws {
        let app = SparkApplication(
            metadata: ObjectMeta(name: "c01-x", namespace: "spark", labels: ["l": "v"], annotations: ["a": "b"]),
            spec: SparkApplicationSpec(
                type: "Scala", sparkVersion: "3.5.0", mode: "cluster", image: "i", imagePullPolicy: "Always", mainClass: "M",
                mainApplicationFile: "s3a://b/app.jar", arguments: ["--x"], sparkConf: ["k": "v"], volumes: Self.volumes,
                deps: Self.deps, restartPolicy: Self.restartPolicy, pythonVersion: "3", timeToLiveSeconds: 86400,
                batchScheduler: "yunikorn", driver: Self.pod, executor: Self.pod))
        let written = try JSONValue(parsing: app.jsonData())
        #expect(written == (try JSONValueEncoder().encodeValue(app)))
        #expect(try JSONValueDecoder().decode(SparkApplication.self, from: app.jsonData()) == app)
    }
}
