import Foundation
import GatewayCore
import Testing

/// BPG's request model (docs/bpg-compatibility.md, "Request model").
struct RequestDecodingTests {
    static let full = #"""
    {
      "submissionIdSuffix": "nightly", "applicationName": "etl", "type": "Scala", "mode": "client",
      "image": "registry/spark:3.5", "spotInstance": true, "sparkVersion": "3.5.0", "mainClass": "com.example.Main",
      "mainApplicationFile": "s3a://b/app.jar", "arguments": ["--date", "2024-01-01"],
      "sparkConf": {"spark.executor.instances": 4, "spark.dynamicAllocation.enabled": false, "k": "v"},
      "volumes": [{"name": "data", "hostPath": {"path": "/data", "type": "Directory"}}, {"name": "cfg", "configMap": {"name": "cm"}}],
      "driver": {
        "cores": 2, "coreRequest": "1500m", "coreLimit": "2", "memory": "4g", "memoryOverhead": "1g", "image": "d:1",
        "env": [{"name": "A", "value": "1"}, {"name": "HOST_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.hostIP"}}}],
        "labels": {"dag_name": "d", "task_name": "t"}, "annotations": {"x": "y"}, "terminationGracePeriodSeconds": 30,
        "serviceAccount": "sa", "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true, "subPath": "s"}],
        "securityContext": {"privileged": false, "runAsUser": 185, "allowPrivilegeEscalation": false},
        "affinity": {"nodeAffinity": {
          "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 5, "preference": {"matchExpressions": [{"key": "k", "operator": "In", "values": ["a"]}]}}],
          "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "z", "operator": "Exists"}]}]}}},
        "dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}, "javaOptions": "-Dx=y", "podName": "p",
        "kubernetesMaster": "k8s://x", "futureField": {"ignored": true}
      },
      "executor": {"cores": 1.9, "instances": 3, "memory": "2g", "deleteOnTermination": false},
      "driverOverheadFactor": 0.1, "executorOverheadFactor": 0.2, "overheadFactor": 0.3,
      "deps": {"jars": ["a.jar"], "files": ["f"], "pyFiles": ["p.py"], "packages": ["g:a:1"], "excludePackages": ["g:b"],
               "repositories": ["https://r"], "archives": ["x.zip"]},
      "pythonVersion": "3", "imagePullPolicy": "Always",
      "restartPolicy": {"type": "OnFailure", "onSubmissionFailureRetries": 1, "onFailureRetries": 2,
                        "onSubmissionFailureRetryInterval": 10, "onFailureRetryInterval": 20},
      "clusterId": "spark-cluster-a", "queue": "q.child", "queueToken": "jwt"
    }
    """#

    @Test func everyFieldDecodes() throws {
        let r = try SubmitApplicationRequest.decode(json: Data(Self.full.utf8))
        #expect(r.submissionIdSuffix == "nightly" && r.applicationName == "etl" && r.type == "Scala" && r.mode == "client")
        #expect(r.image == "registry/spark:3.5" && r.spotInstance == true && r.sparkVersion == "3.5.0")
        #expect(r.arguments == ["--date", "2024-01-01"])
        #expect(r.sparkConf == ["spark.executor.instances": "4", "spark.dynamicAllocation.enabled": "false", "k": "v"])
        #expect(r.volumes?.count == 2 && r.volumes?[1].configMap?.name == "cm")
        let d = try #require(r.driver)
        #expect(d.cores == 2 && d.coreRequest == "1500m" && d.coreLimit == "2" && d.memoryOverhead == "1g")
        #expect(d.env?[1] == EnvVar(name: "HOST_IP", valueFrom: .init(fieldRef: .init(fieldPath: "status.hostIP"))))
        #expect(d.volumeMounts == [VolumeMount(name: "data", mountPath: "/data", readOnly: true, subPath: "s")])
        #expect(d.securityContext == SecurityContext(privileged: false, runAsUser: 185, allowPrivilegeEscalation: false))
        #expect(d.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.first?.weight == 5)
        #expect(d.dnsConfig?.options?.first?.value == "2")
        #expect(d.podName == "p" && d.kubernetesMaster == "k8s://x" && d.terminationGracePeriodSeconds == 30)
        #expect(r.executor?.cores == 1)  // Jackson truncates a fractional Integer
        #expect(r.executor?.deleteOnTermination == false && r.executor?.instances == 3)
        #expect(r.deps?.archives == ["x.zip"] && r.restartPolicy?.onFailureRetryInterval == 20)
        #expect(r.clusterId == "spark-cluster-a" && r.queue == "q.child" && r.queueToken == "jwt")
        #expect(r.overheadFactor == 0.3)
    }

    @Test func unknownTopLevelFieldsAreNamed() {
        #expect(throws: SubmissionError.self) {
            try SubmitApplicationRequest.decode(json: Data(#"{"sparkVersion":"3.1","annotations":{}}"#.utf8))
        }
        do {
            _ = try SubmitApplicationRequest.decode(json: Data(#"{"sparkVersion":"3.1","annotations":{}}"#.utf8))
        } catch {
            #expect(error.message.hasPrefix(#"Invalid JSON request: Unrecognized field "annotations""#))
        }
    }

    @Test func theRawDecoderAlsoRejectsUnknownFields() {
        // The check lives in init(from:), so any Decoder (JSON, YAML) enforces it.
        #expect(throws: SubmissionError.self) {
            try JSONDecoder().decode(SubmitApplicationRequest.self, from: Data(#"{"sparkConfs":{}}"#.utf8))
        }
    }

    @Test func roundTripsThroughJSON() throws {
        let r = try SubmitApplicationRequest.decode(json: Data(Self.full.utf8))
        let again = try JSONDecoder().decode(SubmitApplicationRequest.self, from: JSONEncoder().encode(r))
        #expect(again == r)
    }

    @Test func redactionMasksTheTokenAndDropsEnvironments() throws {
        let r = try SubmitApplicationRequest.decode(json: Data(Self.full.utf8))
        let stored = r.redactedForStorage()
        #expect(stored.queueToken == "***")
        #expect(stored.driver?.env == nil && stored.executor?.env == nil)
        #expect(r.queueToken == "jwt")
        let json = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
        #expect(!json.contains("jwt") && !json.contains("HOST_IP") && json.contains("etl"))
    }

    @Test func malformedJSONIsA400() {
        #expect(throws: SubmissionError.self) { try SubmitApplicationRequest.decode(json: Data("{".utf8)) }
    }

    @Test(arguments: [
        (#"{"applicationName":"a\"b\\c\n\u00e9\ud83d\ude00/"}"#, "a\"b\\c\né😀/"),
        (#"{"applicationName":"plain ünïcode"}"#, "plain ünïcode"),
        (#" { "applicationName" : 12.50 } "#, "12.50"),
    ])
    func jsonStringsAndNumbers(json: String, name: String) throws {
        #expect(try SubmitApplicationRequest.decode(json: Data(json.utf8)).applicationName == name)
    }

    @Test(arguments: [
        #"{"applicationName":"x"} trailing"#, #"{"applicationName":"x""#, #"{"a":01x}"#, #"{"a":"\q"}"#, "[1,]", "",
        #"{"applicationName":"x","#, String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ])
    func malformedJSONNamesTheProblem(json: String) {
        do {
            _ = try SubmitApplicationRequest.decode(json: Data(json.utf8))
            Issue.record("expected a 400")
        } catch {
            #expect(error.status == 400 && error.message.hasPrefix("Invalid JSON request:"), "\(error.message)")
        }
    }
}
