import Foundation
import FuzzSupport
import GatewayCore
import Testing
import YAML

/// Hostile values at every field of the request, found by decoding the model rather than listed by
/// hand, through parsing, validation and translation with no server: every outcome is an accepted
/// request whose translated numbers are in range, or a 4xx. A trap anywhere kills the test process.
/// The run is seeded; replay a failure with `FUZZ_SEED=<seed printed> swift test --filter RequestFuzzTests`.
struct RequestFuzzTests {
    /// Every numeric field of the request and the rule that bounds it. A new numeric field fails
    /// `everyNumericFieldHasABound` until it is added here, with a bound in `RequestBounds`.
    static let boundedNumericFields: [String: String] = [
        "driverOverheadFactor": "RequestBounds.overheadFactor",
        "executorOverheadFactor": "RequestBounds.overheadFactor",
        "overheadFactor": "RequestBounds.overheadFactor",
        "restartPolicy.onSubmissionFailureRetries": "RequestBounds.restartRetries",
        "restartPolicy.onFailureRetries": "RequestBounds.restartRetries",
        "restartPolicy.onSubmissionFailureRetryInterval": "RequestBounds.restartRetryIntervalSeconds",
        "restartPolicy.onFailureRetryInterval": "RequestBounds.restartRetryIntervalSeconds",
    ].merging(
        ["driver", "executor"].flatMap { role in
            [
                ("\(role).cores", "RequestBounds.cores"),
                ("\(role).terminationGracePeriodSeconds", "RequestBounds.terminationGracePeriodSeconds"),
                ("\(role).securityContext.runAsUser", "RequestBounds.runAsUser"),
                ("\(role).affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight", "RequestBounds.affinityWeight"),
                ("\(role).instances", "1...queue maxExecutorInstances (ConfigurationBounds.maxExecutorInstances)"),
            ]
        }, uniquingKeysWith: { a, _ in a })

    static let seed = HostileValues.seed(fallback: 20_261_203, environment: ProcessInfo.processInfo.environment)

    static var configuration: GatewayConfiguration {
        var queue = QueueConfiguration(name: "poc")
        // The largest ratios configuration allows, so accepted requests reach the largest translated values.
        queue.driverCPUBufferRatio = ConfigurationBounds.bufferRatio.upperBound
        queue.executorCPUBufferRatio = ConfigurationBounds.bufferRatio.upperBound
        queue.driverMemBufferRatio = ConfigurationBounds.bufferRatio.upperBound
        queue.executorMemBufferRatio = ConfigurationBounds.bufferRatio.upperBound
        queue.maxExecutorInstances = ConfigurationBounds.maxExecutorInstances.upperBound
        var cluster = Fixtures.cluster("c01", versions: ["3.5.0"])
        cluster.sparkServiceAccount = "spark"
        var config = Fixtures.configuration(clusters: [cluster], queues: [queue])
        config.sparkImages.append(SparkImageConfiguration(name: "spark:3.5", types: ["Java", "Scala", "Python", "R"], version: "3.5.0"))
        config.memoryMbSecondCost = ConfigurationBounds.costRate.upperBound
        config.vCoreSecondCost = ConfigurationBounds.costRate.upperBound
        return config
    }

    static func fuzzer() throws -> RequestFuzzer { try RequestFuzzer(sparkVersion: "3.5.0", queue: "poc") }

    enum Outcome { case accepted, rejected }

    /// Plans and translates `request`; nil error means accepted. Checks the translated numbers.
    static func run(_ request: SubmitApplicationRequest, configuration: GatewayConfiguration) throws(SubmissionError) -> SparkApplication {
        var random = SeededRandomNumberGenerator(seed: 3)
        let plan = try SubmissionPlanner(configuration: configuration).plan(request, user: "alice", using: &random)
        let cluster = plan.candidates[0]
        return plan.application(on: cluster, submissionId: plan.submissionId(on: cluster, using: &random))
    }

    static func checkTranslated(_ app: SparkApplication, _ name: String, configuration: GatewayConfiguration) {
        let maxRatio = ConfigurationBounds.bufferRatio.upperBound
        for pod in [app.spec.driver, app.spec.executor] {
            let cores = pod.cores ?? 0
            #expect(cores >= 1 && Double(cores) <= Double(RequestBounds.cores.upperBound) * maxRatio + 1, "\(name)")
            let limit = pod.coreLimit.flatMap { try? Quantity(parsing: $0) }
            #expect(limit != nil && limit!.millis <= Int64(Double(RequestBounds.cpuMillis.upperBound) * maxRatio) + 1000, "\(name): \(pod.coreLimit ?? "nil")")
            if let memory = pod.memory {
                let size = try? MemorySize(parsing: memory)
                #expect(size != nil && size!.bytes <= Int64(Double(RequestBounds.memoryBytes.upperBound) * maxRatio) + MemorySize.mebibyte, "\(name): \(memory)")
            }
        }
        // The cost and the status summary do arithmetic on the translated numbers too.
        let cost = ApplicationCost.cost(of: app, runSeconds: 31_536_000, configuration: configuration)
        #expect(cost.map { $0.isFinite && $0 >= 0 } ?? true, "\(name): cost \(String(describing: cost))")
        _ = SubmissionSummary(application: app, sparkUIBaseURL: nil, sparkHistoryDNS: nil, now: 0)
        #expect(!app.jsonData().isEmpty)
    }

    @Test func everyNumericFieldHasABound() throws {
        let fuzzer = try Self.fuzzer()
        let numeric = Set(fuzzer.leaves.filter(\.isNumeric).map(\.dottedPath))
        #expect(numeric == Set(Self.boundedNumericFields.keys), "new: \(numeric.subtracting(Self.boundedNumericFields.keys).sorted()), gone: \(Set(Self.boundedNumericFields.keys).subtracting(numeric).sorted())")
        // Quantities are strings: a field named like one must be declared so the fuzzer attacks it.
        for leaf in fuzzer.leaves where leaf.type == "String" {
            guard case .key(let name) = leaf.path.last else { continue }
            let lower = name.lowercased()
            if ["core", "cpu", "memory", "mem"].contains(where: { lower.hasPrefix($0) }) {
                #expect(RequestFuzzer.quantityFieldNames.contains(name), "\(leaf.dottedPath) looks like a quantity")
            }
        }
        // The probe really walks nested structures.
        #expect(fuzzer.leaves.contains { $0.dottedPath == "driver.env[0].valueFrom.fieldRef.fieldPath" })
        #expect(fuzzer.numericAndQuantityLeaves.count >= 27)
    }

    @Test func theBaseRequestIsAccepted() throws {
        let request = try SubmitApplicationRequest.decode(json: Data(try Self.fuzzer().base.text.utf8))
        let app = try Self.run(request, configuration: Self.configuration)
        Self.checkTranslated(app, "base", configuration: Self.configuration)
    }

    @Test func hostileValuesAtEveryFieldAreAcceptedOrA4xx() throws {
        print("RequestFuzzTests seed: \(Self.seed) (replay with FUZZ_SEED=\(Self.seed))")
        var random = SeededRandomNumberGenerator(seed: Self.seed)
        let fuzzer = try Self.fuzzer()
        let configuration = Self.configuration
        let cases = fuzzer.cases(generated: 16, random: 400, expensiveEvery: 13, using: &random)
        var accepted = 0
        var yamlChecked = 0
        let start = ContinuousClock.now
        for (index, fuzzCase) in cases.enumerated() {
            let body = Data(fuzzCase.body.utf8)
            do {
                let request = try SubmitApplicationRequest.decode(json: body)
                let app = try Self.run(request, configuration: configuration)
                Self.checkTranslated(app, fuzzCase.name, configuration: configuration)
                accepted += 1
            } catch {
                #expect((400..<500).contains(error.status), "\(fuzzCase.name): \(error)")
            }
            // JSON is YAML: the YAML request path (libyaml, then Codable) gets a share of the cases.
            if index % 10 == 0 {
                yamlChecked += 1
                if let request = try? YAMLDecoder().decode(SubmitApplicationRequest.self, from: body) {
                    do {
                        Self.checkTranslated(try Self.run(request, configuration: configuration), "yaml " + fuzzCase.name, configuration: configuration)
                    } catch {
                        #expect((400..<500).contains(error.status), "yaml \(fuzzCase.name): \(error)")
                    }
                }
            }
        }
        print("RequestFuzzTests: \(cases.count) JSON cases (\(accepted) accepted), \(yamlChecked) as YAML, seed \(Self.seed), \(ContinuousClock.now - start)")
        #expect(accepted > 0, "some hostile-looking values are legitimate and must pass")
    }

    /// 10,000 levels of nesting anywhere in a JSON or YAML request is a 400, not a stack overflow.
    @Test(arguments: [false, true])
    func deepNestingIsRejected(objects: Bool) {
        let deep = HostileValues.deepNesting(levels: 100_000, objects: objects)
        let body = Data((#"{"sparkVersion":"3.5.0","mainApplicationFile":"x","sparkConf":"# + deep + "}").utf8)
        #expect(throws: SubmissionError.self) { try SubmitApplicationRequest.decode(json: body) }
        #expect(throws: (any Error).self) { try YAMLDecoder().decode(SubmitApplicationRequest.self, from: body) }
        // Block style: compact nested sequences, `- - - … x` on one line.
        let block = "arguments:\n" + String(repeating: "- ", count: 10_000) + "x\n"
        #expect(throws: (any Error).self) { try YAMLDecoder().decode(SubmitApplicationRequest.self, from: block) }
    }
}
