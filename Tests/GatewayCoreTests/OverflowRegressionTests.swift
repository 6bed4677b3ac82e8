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

    @Test func quantitiesNearTheLimitsNeverTrap() throws {
        // `abs(Int.min)` used to trap on this exponent.
        #expect(throws: QuantityError.self) { try Quantity(parsing: "1e-9223372036854775808") }
        #expect(throws: QuantityError.self) { try Quantity(parsing: "1e9223372036854775807") }
        #expect(throws: QuantityError.self) { try Quantity(parsing: "9223372036854775808m") }
        #expect(throws: QuantityError.self) { try Quantity(parsing: "99999999999999999999Gi") }
        let largest = try Quantity(parsing: "9223372036854775807m")
        #expect(largest.millis == .max)
        #expect(largest.roundedUpUnits == 9_223_372_036_854_776)
        #expect(largest.scaled(by: 2).millis == .max)
        #expect(largest.scaled(by: .nan).millis == 0)
        #expect(Quantity(units: .max).millis == .max)
        #expect(try Quantity(parsing: "0.0000001m").millis == 1)
        #expect(MemorySize(bytes: .max).mebibytes == Int64.max / MemorySize.mebibyte + 1)
        for ratio in [Double.nan, .infinity, -.infinity, -1, 1e300] {
            _ = MemorySize(bytes: .max).scaled(by: ratio)
        }
        #expect(MemorySize(bytes: 1 << 30).scaled(by: .infinity).bytes == 8_000_000_000_000 * MemorySize.mebibyte)
    }

    @Test(arguments: [
        (Double.nan, Int64(0)), (.infinity, .max), (-.infinity, .min), (1e400, .max), (9.3e18, .max), (-9.3e18, .min),
        (9_223_372_036_854_774_784, 9_223_372_036_854_774_784), (2.5, 3), (-2.5, -3),
    ] as [(Double, Int64)])
    func saturatingConversion(value: Double, expected: Int64) {
        #expect(Int64(saturating: value) == expected)
    }

    @Test func saturatingOperations() {
        #expect(Int.max.saturatingAdding(1) == .max)
        #expect(Int.min.saturatingAdding(-1) == .min)
        #expect(Int64.min.saturatingSubtracting(1) == .min)
        #expect(Int64.max.saturatingSubtracting(-1) == .max)
        #expect(Int.max.saturatingMultiplied(by: 2) == .max)
        #expect(Int.max.saturatingMultiplied(by: -2) == .min)
        #expect(Int.min.saturatingMultiplied(by: -1) == .max)
        #expect(6.saturatingMultiplied(by: 7) == 42)
    }

    /// Objects read back from a cluster (or old records) are not bounded by this gateway's validation.
    @Test func summariesAndStatusesOfExtremeObjectsNeverTrap() throws {
        let summary = SubmissionSummary(
            status: GetSubmissionStatusResponse(), submissionId: "c01-x", user: "u", queue: "root.poc", dagName: "",
            driverCores: .max, driverMemory: "8000000t", executorInstances: .max, executorCores: .max,
            executorMemory: "8000000t", sparkVersion: "3.5", applicationName: nil, arguments: nil, sparkHistoryDNS: nil)
        #expect(summary.totalCores == .max)
        let json = """
            {"metadata":{"name":"c01-x","creationTimestamp":"0000-01-01T00:00:00Z",
             "labels":{"\(GatewayLabels.maxRunningMillis)":"-9223372036854775808","\(GatewayLabels.proxyUser)":"u"}},
             "spec":{"driver":{"cores":9223372036854775807,"memory":"8000000t"},
                     "executor":{"cores":9223372036854775807,"instances":9223372036854775807}},
             "status":{"applicationState":{"state":"FAILED"},"terminationTime":"9999-12-31T23:59:59Z"}}
            """
        let app = try JSONDecoder().decode(SparkApplication.self, from: Data(json.utf8))
        let status = GetSubmissionStatusResponse(application: app, sparkUIBaseURL: nil, now: .max)
        #expect(status.duration > 0)
        _ = status.refreshed(now: .min)
        let fromCluster = SubmissionSummary(application: app, sparkUIBaseURL: nil, sparkHistoryDNS: nil, now: .min)
        #expect(fromCluster.totalCores == .max)
    }

    /// `bpg check-config` names the key path of a number that would make every submission trap.
    @Test(arguments: [
        ("driverCPUBufferRatio", 1e300), ("executorCPUBufferRatio", 101), ("driverMemBufferRatio", .infinity),
        ("executorMemBufferRatio", .nan), ("driverCPUBufferRatio", 0.001),
    ] as [(String, Double)])
    func extremeBufferRatiosAreConfigurationProblems(key: String, ratio: Double) {
        var queue = QueueConfiguration(name: "poc")
        switch key {
        case "driverCPUBufferRatio": queue.driverCPUBufferRatio = ratio
        case "executorCPUBufferRatio": queue.executorCPUBufferRatio = ratio
        case "driverMemBufferRatio": queue.driverMemBufferRatio = ratio
        default: queue.executorMemBufferRatio = ratio
        }
        let problems = Fixtures.configuration(clusters: [Fixtures.cluster("c01")], queues: [queue]).validate()
        #expect(problems.map(\.path) == ["queues[0].\(key)"])
        #expect(problems.first?.message.hasPrefix("must be between 0.01 and 100.0") == true, "\(problems)")
    }
}
