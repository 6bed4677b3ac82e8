import Foundation
import GatewayCore
import Testing

/// Values that used to trap (and kill the gateway) in translation are rejected by validation with a
/// 400 naming the field, and translation itself never traps even when validation is bypassed.
struct OverflowRegressionTests {
    static func plan(_ request: SubmitApplicationRequest, queue: QueueConfiguration = QueueConfiguration(name: "poc"))
        throws(SubmissionError) -> SparkApplication
    {
        let config = Fixtures.configuration(clusters: [Fixtures.cluster("c01")], queues: [queue])
        var random = SeededRandomNumberGenerator(seed: 7)
        let plan = try SubmissionPlanner(configuration: config).plan(request, user: "alice", using: &random)
        return plan.application(on: plan.candidates[0], submissionId: "c01-x")
    }

    static func request(driver: SparkPodSpec? = nil, executor: SparkPodSpec? = nil) -> SubmitApplicationRequest {
        var request = Fixtures.request()
        request.driver = driver
        request.executor = executor
        return request
    }

    /// Each case: the pod as sent, on the driver and then on the executor, and the field the 400 names.
    @Test(arguments: [
        (SparkPodSpec(cores: Int.max), "cores"),
        (SparkPodSpec(cores: 9_223_372_036_854_775), "cores"),
        (SparkPodSpec(cores: Int.min), "cores"),
        (SparkPodSpec(cores: 1, coreLimit: "9223372036854775807m"), "coreLimit"),
        (SparkPodSpec(cores: 1, coreLimit: "9Ei"), "coreLimit"),
        (SparkPodSpec(cores: 1, coreRequest: "9223372036854775807m"), "coreRequest"),
        (SparkPodSpec(memory: "8388607p"), "memory"),
        (SparkPodSpec(memoryOverhead: "8388607p"), "memoryOverhead"),
    ] as [(SparkPodSpec, String)])
    func hugePodValuesAreA400NamingTheField(pod: SparkPodSpec, field: String) {
        for role in ["driver", "executor"] {
            let request = role == "driver" ? Self.request(driver: pod) : Self.request(executor: pod)
            #expect {
                _ = try Self.plan(request)
            } throws: { error in
                guard let error = error as? SubmissionError else { return false }
                return error.status == 400 && error.message.hasPrefix("\(role).\(field)")
            }
        }
    }

    /// Translation is total: bypassing validation with extreme values gives an object, never a trap.
    @Test(arguments: [Int.max, Int.min, 9_223_372_036_854_775, -1, 0])
    func translationNeverTrapsOnExtremeCores(cores: Int) throws {
        var queue = QueueConfiguration(name: "poc")
        queue.driverCPUBufferRatio = 1.5
        queue.executorCPUBufferRatio = 1.5
        let config = Fixtures.configuration(clusters: [Fixtures.cluster("c01")], queues: [queue])
        var random = SeededRandomNumberGenerator(seed: 1)
        let plan = try SubmissionPlanner(configuration: config).plan(Fixtures.request(), user: "alice", using: &random)
        var input = SparkApplicationTranslator.Input(
            request: Self.request(
                driver: SparkPodSpec(cores: cores, coreLimit: "9223372036854775807m", memory: "8388607p"),
                executor: SparkPodSpec(cores: cores, memory: "1e400")),
            configuration: config, cluster: plan.candidates[0], submissionId: "c01-x", proxyUser: "alice",
            queue: plan.queue, type: "Python", maxRunningMillis: .max, image: "spark", pickedZones: nil)
        let app = SparkApplicationTranslator.translate(input)
        #expect((app.spec.driver.cores ?? 0) >= 1)
        input.queue.parentConfiguration?.driverCPUBufferRatio = .infinity
        input.queue.parentConfiguration?.driverMemBufferRatio = .nan
        _ = SparkApplicationTranslator.translate(input)
    }
}
