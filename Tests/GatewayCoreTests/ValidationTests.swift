import Foundation
import GatewayCore
import Testing

/// User errors are 400s naming the field, raised while planning (before anything is stored or created).
struct ValidationTests {
    static var config: GatewayConfiguration {
        var poc = QueueConfiguration(name: "poc")
        poc.maxRunningMillis = 3_600_000
        var small = QueueConfiguration(name: "small")
        small.maxExecutorInstances = 10
        var config = Fixtures.configuration(
            clusters: [Fixtures.cluster("c01", queues: ["poc", "small"])], queues: [poc, small])
        config.sparkClusters[0].sparkConf = ["spark.kubernetes.executor.podNamePrefix": "{spark-application-resource-name}"]
        return config
    }

    func plan(_ json: String) throws(SubmissionError) -> SubmissionPlan {
        let request = try SubmitApplicationRequest.decode(json: Data(json.utf8))
        var random = SeededRandomNumberGenerator(seed: 1)
        return try SubmissionPlanner(configuration: Self.config).plan(request, user: "alice", using: &random)
    }

    static let base = #""sparkVersion":"3.1","mainApplicationFile":"s3a://b/app.py""#

    @Test(arguments: [
        (#"{\#(base),"queue":"nope"}"#, "queue: The queue nope does not exist"),  // BPG: 500
        (#"{"mainApplicationFile":"x"}"#, "sparkVersion is required"),
        (#"{"sparkVersion":"3.1"}"#, "mainApplicationFile is required"),
        (#"{\#(base),"type":"Go"}"#, "type must be one of Java, Scala, Python, R"),
        (#"{\#(base),"pythonVersion":"4"}"#, "pythonVersion must be"),
        (#"{\#(base),"driver":{"coreLimit":"lots"}}"#, "driver.coreLimit \"lots\" is not a valid CPU quantity"),
        (#"{\#(base),"executor":{"coreRequest":"-1"}}"#, "executor.coreRequest \"-1\" is not a valid CPU quantity"),
        (#"{\#(base),"driver":{"memory":"2048"}}"#, "driver.memory \"2048\" is not a valid memory size"),  // BPG: 500
        (#"{\#(base),"executor":{"memory":"lots"}}"#, "executor.memory \"lots\" is not a valid memory size"),
        (#"{\#(base),"executor":{"memoryOverhead":"1x"}}"#, "executor.memoryOverhead"),
        (#"{\#(base),"executor":{"cores":0}}"#, "executor.cores must be between 1 and 1024 (got 0)"),
        (#"{\#(base),"executor":{"instances":6000}}"#, "Executor instances in Spark config (6000) exceeds limit (5000)"),
        (#"{\#(base),"queue":"small","executor":{"instances":11}}"#, "Executor instances in Spark config (11) exceeds limit (10)"),
        (#"{\#(base),"sparkConf":{"spark.executor.instances":"many"}}"#, "Invalid value (many) for Spark config: (spark.executor.instances)"),
        (#"{\#(base),"sparkConf":{"spark.executor.instances":5001}}"#, "Executor instances in Spark config (5001) exceeds limit (5000)"),
        (#"{\#(base),"sparkConf":{"bpg.maxRunningMillis":"soon"}}"#, "Invalid value for config bpg.maxRunningMillis: soon"),
        (#"{\#(base),"sparkConf":{"bpg.maxRunningMillis":"3600001"}}"#, "maxRunningMillis 3600001 is too large than allowed 3600000 for queue poc"),
        (#"{\#(base),"submissionIdSuffix":"Bad_Suffix"}"#, "submissionIdSuffix \"Bad_Suffix\" must contain only"),
        (#"{\#(base),"submissionIdSuffix":"abcdefghijk"}"#, "spark.kubernetes.executor.podNamePrefix on cluster c01 would have 48 characters"),
        (#"{\#(base),"restartPolicy":{"type":"Sometimes"}}"#, "restartPolicy.type must be"),
        (#"{\#(base),"restartPolicy":{"type":"OnFailure","onFailureRetryInterval":0}}"#, "restartPolicy.onFailureRetryInterval must be between 1 and 604800 seconds (got 0)"),
        (#"{"sparkVersion":"2.9","mainApplicationFile":"x"}"#, "Spark version not supported: 2.9"),
        (#"{\#(base),"clusterId":"c09"}"#, "Cluster with id c09 having Spark version 3.1 not found"),
        (#"{\#(base),"bogus":1,"other":2}"#, #"Invalid JSON request: Unrecognized fields "bogus", "other""#),
        (#"{\#(base),"driver":{"cores":"one"}}"#, "Invalid JSON request: wrong type"),
        ("/Users/tim/request.json", "Invalid request body. It actually looks like a file path."),
        (#"{\#(base),"driver":{"env":[{"value":"x"}]}}"#, #"Invalid JSON request: missing field "name" at driver.env[0]"#),
        (#"{\#(base),"volumes":[{"name":"v","hostPath":{}}]}"#, #"missing field "path" at volumes[0].hostPath"#),
        (#"{\#(base),"executor":{"volumeMounts":"nope"}}"#, "wrong type for Array at executor.volumeMounts"),
        (#"{\#(base),"sparkConf":{"a":{"b":1}}}"#, "wrong type for String at sparkConf.a"),
    ])
    func rejectedWith400NamingTheField(json: String, message: String) {
        do {
            _ = try plan(json)
            Issue.record("expected a 400 containing \(message)")
        } catch {
            #expect(error.status == 400)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test(arguments: [
        #"{\#(base),"driver":{"coreLimit":"1200m","memory":"2Gi"},"executor":{"coreLimit":"2","memory":"512m"}}"#,
        #"{\#(base),"submissionIdSuffix":"abcdefghij","sparkConf":{"bpg.maxRunningMillis":"3600000"}}"#,
        #"{\#(base),"type":"scala","mainClass":"Main","pythonVersion":"3","sparkConf":{"spark.executor.instances":"5000"}}"#,
    ])
    func acceptedRequests(json: String) throws {
        let plan = try plan(json)
        #expect(plan.candidates.map(\.id) == ["c01"])
    }

    @Test func noImageForTheTypeAndVersion() {
        var config = Self.config
        config.sparkImages = [SparkImageConfiguration(name: "java-only", types: ["Java"], version: "3.1")]
        var random = SeededRandomNumberGenerator(seed: 1)
        #expect(throws: SubmissionError.badRequest("Spark image not found for type: Python, version: 3.1")) {
            try SubmissionPlanner(configuration: config).plan(Fixtures.request(), user: "u", using: &random)
        }
    }

    @Test func maxRunningMillisLabelTakesTheRequestValue() throws {
        let plan = try plan(#"{\#(Self.base),"sparkConf":{"bpg.maxRunningMillis":"60000"}}"#)
        let app = plan.application(on: plan.candidates[0], submissionId: "c01-x")
        #expect(app.metadata.labels?["maxRunningMillis"] == "60000")
    }
}
