import Foundation
import GatewayCore
import JSON
import Testing

/// docs/bpg-compatibility.md, "Worked example", field by field (with BPG's bugs fixed: `1000m`, no
/// `originalUser`, no pruned batch-scheduler keys, the managed-by label).
struct WorkedExampleTests {
    func translate() throws -> SparkApplication {
        let planner = SubmissionPlanner(configuration: Fixtures.workedExampleConfiguration)
        let request = try SubmitApplicationRequest.decode(json: Data(Fixtures.workedExampleRequest.utf8))
        var random = SeededRandomNumberGenerator(seed: 1)
        let plan = try planner.plan(request, user: "alice", using: &random)
        #expect(plan.candidates.map(\.id) == ["c01"])
        let id = plan.submissionId(on: plan.candidates[0], using: &random)
        return plan.application(on: plan.candidates[0], submissionId: id)
    }

    @Test func metadata() throws {
        let app = try translate()
        let name = try #require(app.metadata.name)
        #expect(name.hasPrefix("c01-") && name.count == 36)
        #expect(name.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(app.metadata.namespace == "spark-applications")
        #expect(
            app.metadata.labels == [
                "proxyUser": "alice", "queue": "root.poc", "maxRunningMillis": "43200000",
                "app.kubernetes.io/managed-by": "batch-processing-gateway",
            ])
        #expect(app.apiVersion == "sparkoperator.k8s.io/v1beta2" && app.kind == "SparkApplication")
    }

    @Test func specScalars() throws {
        let spec = try translate().spec
        #expect(spec.type == "Python")
        #expect(spec.sparkVersion == "3.2")
        #expect(spec.mode == "cluster")
        #expect(spec.proxyUser == "alice")
        #expect(spec.image == "img-py")
        #expect(spec.mainApplicationFile == "s3a://b/app.py")
        #expect(spec.timeToLiveSeconds == 86400)
        #expect(spec.volumes == nil)
    }

    @Test func sparkConfSubstitutesTheSubmissionId() throws {
        let app = try translate()
        #expect(app.spec.sparkConf == ["a": "b", "spark.kubernetes.executor.podNamePrefix": app.metadata.name!])
    }

    @Test func batchSchedulerWithoutPrunedKeys() throws {
        let spec = try translate().spec
        #expect(spec.batchScheduler == "yunikorn")
        #expect(spec.batchSchedulerOptions == BatchSchedulerOptions(queue: "root.poc"))
    }

    @Test func driverFixedCoreLimitFormat() throws {
        let driver = try translate().spec.driver
        #expect(driver.cores == 1)
        #expect(driver.coreLimit == "1000m")  // BPG: "1000.0m"
        #expect(driver.memory == "2g")
        #expect(driver.serviceAccount == "spark")
        #expect(driver.annotations == ["cluster-autoscaler.kubernetes.io/safe-to-evict": "false"])
        let terms = driver.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        #expect(terms == [.init(matchExpressions: [.init(key: "node_group_category", operator: "In", values: ["spark_driver"])])])
        #expect(driver.dnsConfig == nil)
        #expect(driver.instances == nil)
    }

    @Test func executorFixedCoreLimitFormat() throws {
        let executor = try translate().spec.executor
        #expect(executor.cores == 1)
        #expect(executor.coreLimit == "1000m")  // BPG: "1000.0m"
        #expect(executor.memory == "2g")
        #expect(executor.instances == 1)
        #expect(executor.serviceAccount == nil)
        #expect(executor.annotations == ["cluster-autoscaler.kubernetes.io/safe-to-evict": "false"])
        let terms = executor.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms
        #expect(terms == [.init(matchExpressions: [.init(key: "node_group_category", operator: "In", values: ["spark_executor"])])])
        #expect(executor.dnsConfig == PodDNSConfig(options: [.init(name: "ndots", value: "1")]))
    }

    @Test(.enabled(if: SchemaChecker.realCRDIsAvailable, SchemaChecker.realCRDMissing))
    func emittedJSONHasNoOriginalUserAndValidatesAgainstTheCRD() throws {
        let app = try translate()
        let json = try JSONValue.encoding(app)
        #expect(json["spec"]?["originalUser"] == nil)
        #expect(json["status"] == nil)
        let checker = try SchemaChecker.loadRealCRD()
        #expect(checker.problems(in: json) == [])
    }
}
