import Foundation
import FuzzSupport
import GatewayCore
import Testing

/// Hostile values at every numeric field of the configuration: loading either reports a problem at
/// that key path (what `bpg check-config` prints) or accepts a value with which hostile requests still
/// plan and translate without trapping.
struct ConfigurationFuzzTests {
    /// Every numeric configuration field and what bounds it. A new numeric field fails
    /// `everyNumericFieldHasABound` until it is listed here with a bound in `ConfigurationBounds` (or a
    /// reason it needs none).
    static let boundedNumericFields: [String: String] = [
        "batchFileLimit": "none: accepted for BPG compatibility and never used",
        "memoryMbSecondCost": "costRate", "vCoreSecondCost": "costRate",
        "statusCacheExpireMillis": "statusCacheExpireMillis",
        "queues[0].maxRunningMillis": "maxRunningMillis", "queues[0].maxExecutorInstances": "maxExecutorInstances",
        "queues[0].driverCPUBufferRatio": "bufferRatio", "queues[0].executorCPUBufferRatio": "bufferRatio",
        "queues[0].driverMemBufferRatio": "bufferRatio", "queues[0].executorMemBufferRatio": "bufferRatio",
        "sparkClusters[0].weight": "clusterWeight", "sparkClusters[0].timeoutMillis": "clusterTimeoutMillis",
        "sparkClusters[0].ttlSeconds": "ttlSeconds", "sparkClusters[0].sparkUIOptions.servicePort": "servicePort",
        "server.applicationConnectors[0].port": "0-65535", "server.adminConnectors[0].port": "0-65535",
        "gateway.routing.maxAttempts": "maxAttempts", "gateway.routing.backlogHalfWeightPending": "backlogHalfWeightPending",
        "gateway.routing.runningWeight": "runningWeight", "gateway.routing.clusterCapacity.k": "clusterCapacity",
        "gateway.health.probeIntervalMillis": "probeIntervalMillis", "gateway.health.probeTimeoutMillis": "probeTimeoutMillis",
        "gateway.health.failureThreshold": "healthThreshold", "gateway.health.recoveryThreshold": "healthThreshold",
        "gateway.routing.unknownOutcomeWindowSeconds": "1-86400 (checked in validate())",
        "gateway.auth.maxFailuresPerAddress": "0-1000000 (checked in validate())",
        "gateway.auth.failureWindowSeconds": "1-86400 (checked in validate())",
        "gateway.auth.credentialCacheSeconds": "0-86400 (checked in validate())",
        "gateway.auth.hashingThreads": "0-64 (checked in validate())",
        "gateway.http.maxConnections": "1-1000000 (checked in validate())",
        "gateway.http.maxConnectionsPerAddress": "0-1000000 (checked in validate())",
        "gateway.http.headerTimeoutSeconds": "1-3600 (checked in validate())",
        "gateway.objectStorage.maxUploadBytes": "1-5 GiB (checked in validate())",
        "gateway.objectStorage.partSizeBytes": "5 MiB-5 GiB (checked in validate())",
        "gateway.statusStream.maxStreams": "0-100000 (checked in validate())",
        "gateway.statusStream.pollIntervalMillis": "10-60000 (checked in validate())",
        "gateway.statusStream.heartbeatMillis": "10-3600000 (checked in validate())",
        "gateway.objectStorage.logArchive.sweepIntervalSeconds": "1-86400 (checked in validate())",
        "gateway.objectStorage.logArchive.retryInitialSeconds": "1-86400 (checked in validate())",
        "gateway.objectStorage.logArchive.retryMaxSeconds": "1-604800 (checked in validate())",
        "gateway.objectStorage.logArchive.maxAttempts": "1-10000 (checked in validate())",
        "gateway.objectStorage.logArchive.claimSeconds": "10-86400 (checked in validate())",
        "gateway.objectStorage.logArchive.batchSize": "1-1000 (checked in validate())",
    ]

    /// Enum-valued settings need a valid raw value for the probe to get past them.
    static let enumValues = ["gateway.routing.strategy": "weighted", "gateway.auth.mode": "bpg", "gateway.store.backend": "auto",
        "gateway.objectStorage.addressing": "auto", "gateway.objectStorage.credentials": "chain",
    ]

    static func numericLeaves() throws -> [FieldProbe.Leaf] {
        // Pod specs under a cluster are the request's model (covered by RequestFuzzTests) and only their
        // env and mounts are used; `logging` is kept verbatim.
        try FieldProbe.leaves(of: GatewayConfiguration.self, strings: enumValues).filter { leaf in
            leaf.isNumeric && !leaf.dottedPath.hasPrefix("logging")
                && !leaf.dottedPath.contains(".driver.") && !leaf.dottedPath.contains(".executor.")
        }
    }

    static let base: FuzzJSON = [
        "allowedUsers": ["*"],
        "sparkImages": [["name": "spark:3.5", "types": ["Java", "Scala", "Python"], "version": "3.5.0"]],
        "queues": [["name": "poc"]],
        "sparkClusters": [
            [
                "id": "c01", "weight": 100, "masterUrl": "https://127.0.0.1:6443", "sparkApplicationNamespace": "spark",
                "sparkVersions": ["3.5.0"], "queues": ["poc"],
            ]
        ],
        "gateway": ["store": ["backend": "memory"]],
    ]

    @Test func everyNumericFieldHasABound() throws {
        let found = Set(try Self.numericLeaves().map(\.dottedPath))
        #expect(found == Set(Self.boundedNumericFields.keys), "new: \(found.subtracting(Self.boundedNumericFields.keys).sorted()), gone: \(Set(Self.boundedNumericFields.keys).subtracting(found).sorted())")
    }

    @Test func hostileValuesAreReportedAtTheirKeyPathOrHarmless() async throws {
        let seed = HostileValues.seed(fallback: 20_261_203, environment: ProcessInfo.processInfo.environment)
        print("ConfigurationFuzzTests seed: \(seed) (replay with FUZZ_SEED=\(seed))")
        let leaves = try Self.numericLeaves()
        let (accepted, rejected, problems) = try await lowPriority { () throws -> (Int, Int, [String]) in
            var random = SeededRandomNumberGenerator(seed: seed)
            let values = HostileValues.numbers + HostileValues.numbers.map { "\"\($0)\"" }
                + ["\"NaN\"", "\"inf\"", "\"-inf\"", "\"\"", "true", "[]", "{}"] + HostileValues.generated(16, using: &random)
            let requests = try RequestFuzzer(sparkVersion: "3.5.0", queue: "poc")
                .cases(values: HostileValues.numbers, generated: 0, random: 0, expensiveEvery: 1_000, using: &random)
                .enumerated().filter { $0.offset % 300 == 0 }.map(\.element)
                .compactMap { try? SubmitApplicationRequest.decode(json: Data($0.body.utf8)) }
            var accepted = 0
            var rejected = 0
            var problems: [String] = []
            for leaf in leaves {
                for fragment in values {
                    let document = Self.base.setting(.raw(fragment), at: leaf.path).text
                    let configuration: GatewayConfiguration
                    do throws(ConfigurationError) {
                        configuration = try GatewayConfiguration.load(json: Data(document.utf8)).configuration
                    } catch {
                        rejected += 1
                        // A JSON number beyond Double (1e400) fails in Foundation's JSON parser, whose
                        // message carries the path instead.
                        let named = error.problems.contains {
                            $0.path == leaf.dottedPath || $0.message.contains("Path: \(leaf.dottedPath).")
                        }
                        if !named { problems.append("\(leaf.dottedPath) = \(fragment): \(error.problems.map { "\($0.path): \($0.message)" })") }
                        continue
                    }
                    accepted += 1
                    for request in requests {
                        do throws(SubmissionError) {
                            var generator = SeededRandomNumberGenerator(seed: 5)
                            let plan = try SubmissionPlanner(configuration: configuration).plan(request, user: "alice", using: &generator)
                            let app = plan.application(on: plan.candidates[0], submissionId: "c01-x")
                            _ = ApplicationCost.cost(of: app, runSeconds: 1e9, configuration: configuration)
                        } catch {
                            if !(400..<500).contains(error.status) { problems.append("\(leaf.dottedPath) = \(fragment): \(error)") }
                        }
                    }
                }
            }
            return (accepted, rejected, problems)
        }
        print("ConfigurationFuzzTests: \(accepted) configurations accepted, \(rejected) rejected at their key path")
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(20).joined(separator: "\n"))")
        #expect(accepted > 0 && rejected > 0)
    }
}
