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

    /// What is wrong with a translated application's numbers; empty when all are in range.
    static func problems(_ app: SparkApplication, _ name: String, configuration: GatewayConfiguration) -> [String] {
        var problems: [String] = []
        let maxRatio = ConfigurationBounds.bufferRatio.upperBound
        for pod in [app.spec.driver, app.spec.executor] {
            let cores = pod.cores ?? 0
            if !(cores >= 1 && Double(cores) <= Double(RequestBounds.cores.upperBound) * maxRatio + 1) {
                problems.append("\(name): cores \(cores)")
            }
            let limit = pod.coreLimit.flatMap { try? Quantity(parsing: $0) }
            if !(limit != nil && limit!.millis <= Int64(Double(RequestBounds.cpuMillis.upperBound) * maxRatio) + 1000) {
                problems.append("\(name): coreLimit \(pod.coreLimit ?? "nil")")
            }
            if let memory = pod.memory {
                let size = try? MemorySize(parsing: memory)
                if !(size != nil && size!.bytes <= Int64(Double(RequestBounds.memoryBytes.upperBound) * maxRatio) + MemorySize.mebibyte) {
                    problems.append("\(name): memory \(memory)")
                }
            }
        }
        // The cost and the status summary do arithmetic on the translated numbers too.
        let cost = ApplicationCost.cost(of: app, runSeconds: 31_536_000, configuration: configuration)
        if let cost, !(cost.isFinite && cost >= 0) { problems.append("\(name): cost \(cost)") }
        _ = SubmissionSummary(application: app, sparkUIBaseURL: nil, sparkHistoryDNS: nil, now: 0)
        if app.jsonData().isEmpty { problems.append("\(name): no JSON") }
        return problems
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
        #expect(Self.problems(app, "base", configuration: Self.configuration) == [])
    }

    @Test func hostileValuesAtEveryFieldAreAcceptedOrA4xx() async throws {
        let seed = Self.seed
        print("RequestFuzzTests seed: \(seed) (replay with FUZZ_SEED=\(seed))")
        let (count, accepted, problems) = try await lowPriority { () throws -> (Int, Int, [String]) in
            var random = SeededRandomNumberGenerator(seed: seed)
            let fuzzer = try Self.fuzzer()
            let configuration = Self.configuration
            let cases = fuzzer.cases(generated: 8, random: 300, expensiveEvery: 13, using: &random)
            var accepted = 0
            var problems: [String] = []
            let start = ContinuousClock.now
            for (index, fuzzCase) in cases.enumerated() {
                let body = Data(fuzzCase.body.utf8)
                do throws(SubmissionError) {
                    let request = try SubmitApplicationRequest.decode(json: body)
                    problems += Self.problems(try Self.run(request, configuration: configuration), fuzzCase.name, configuration: configuration)
                    accepted += 1
                } catch {
                    if !(400..<500).contains(error.status) { problems.append("\(fuzzCase.name): \(error)") }
                }
                // JSON is YAML: the YAML request path (libyaml, then Codable) gets a share of the cases.
                if index % 10 == 0, let request = try? YAMLDecoder().decode(SubmitApplicationRequest.self, from: body) {
                    do throws(SubmissionError) {
                        problems += Self.problems(try Self.run(request, configuration: configuration), "yaml " + fuzzCase.name, configuration: configuration)
                    } catch {
                        if !(400..<500).contains(error.status) { problems.append("yaml \(fuzzCase.name): \(error)") }
                    }
                }
            }
            print("RequestFuzzTests: \(cases.count) cases (\(accepted) accepted), a tenth also as YAML, seed \(seed), \(ContinuousClock.now - start)")
            return (cases.count, accepted, problems)
        }
        #expect(problems.isEmpty, "\(problems.count) problems, seed \(seed): \(problems.prefix(20).joined(separator: "\n"))")
        #expect(accepted > 0 && accepted < count, "some hostile-looking values are legitimate and must pass; most must not")
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
