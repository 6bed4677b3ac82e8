import Foundation
import FuzzSupport
import GatewayCore
import TestSupport
import Testing

@testable import Gateway

/// The whole submit path of a live gateway (HTTP, auth, JSON/YAML parsing, validation, routing,
/// record, create on a simulated cluster) under hostile values at every request field: every answer
/// is a 2xx or a 4xx, never a 5xx, and the gateway still answers its health check. The configuration
/// sits at the upper bounds `ConfigurationBounds` allows, so accepted requests reach the largest
/// numbers translation can produce. Seeded; replay with `FUZZ_SEED=<seed>`.
@Suite struct SubmitFuzzTests {
    /// A compact set per numeric or quantity field: the core tests run the full set without a server.
    static let values = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "9007199254740993", "-1", "0", "-0.0", "0.5",
        "1e308", "1e400", "1025", #""9223372036854775807m""#, #""99999999999999999999Gi""#, #""1e20""#, #""9Ei""#,
        #""0.0000001m""#, #""NaN""#, #""""#, #""1e-9223372036854775808""#, #""65t""#, "true", "null", "[]", "{}",
    ]

    static func atUpperBounds(_ configuration: inout GatewayConfiguration) {
        for index in configuration.queues?.indices ?? [].indices {
            configuration.queues?[index].driverCPUBufferRatio = ConfigurationBounds.bufferRatio.upperBound
            configuration.queues?[index].executorCPUBufferRatio = ConfigurationBounds.bufferRatio.upperBound
            configuration.queues?[index].driverMemBufferRatio = ConfigurationBounds.bufferRatio.upperBound
            configuration.queues?[index].executorMemBufferRatio = ConfigurationBounds.bufferRatio.upperBound
            configuration.queues?[index].maxRunningMillis = ConfigurationBounds.maxRunningMillis.upperBound
            configuration.queues?[index].maxExecutorInstances = ConfigurationBounds.maxExecutorInstances.upperBound
        }
        for index in configuration.sparkClusters.indices {
            configuration.sparkClusters[index].weight = ConfigurationBounds.clusterWeight.upperBound
            configuration.sparkClusters[index].ttlSeconds = ConfigurationBounds.ttlSeconds.upperBound
        }
        configuration.memoryMbSecondCost = ConfigurationBounds.costRate.upperBound
        configuration.vCoreSecondCost = ConfigurationBounds.costRate.upperBound
        configuration.statusCacheExpireMillis = ConfigurationBounds.statusCacheExpireMillis.upperBound
        configuration.gateway.routing.maxAttempts = ConfigurationBounds.maxAttempts.upperBound
        #expect(configuration.validate().isEmpty)
    }

    @Test func hostileSubmissionsNeverGetA5xxAndTheGatewayStaysUp() async throws {
        let seed = HostileValues.seed(fallback: 20_261_203, environment: ProcessInfo.processInfo.environment)
        print("SubmitFuzzTests seed: \(seed) (replay with FUZZ_SEED=\(seed))")
        var random = SeededRandomNumberGenerator(seed: seed)
        let fuzzer = try RequestFuzzer(sparkVersion: DevEnvironment.sparkVersion, queue: "dev")
        // A seeded sixth of the matrix keeps the test to a few seconds of CPU, which the rest of the
        // suite's timing-sensitive live tests share; RequestFuzzTests runs the whole matrix in process.
        let cases = fuzzer.cases(values: Self.values, generated: 8, random: 150, expensiveEvery: 20, using: &random)
            .filter { _ in Int.random(in: 0..<6, using: &random) == 0 }
        let start = ContinuousClock.now
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50)), configure: Self.atUpperBounds) { gateway in
            let url = gateway.baseURL + "/spark"
            // Three clients on their own threads, each reusing its connection.
            let lanes = 3
            let results = try await withThrowingTaskGroup(of: [(String, Int)].self) { group in
                for lane in 0..<lanes {
                    let mine = cases.enumerated().filter { $0.offset % lanes == lane }.map(\.element)
                    group.addTask {
                        try await onThread {
                            let client = CurlClient()
                            return try mine.enumerated().map { index, fuzzCase in
                                // Every fourth as YAML (JSON is YAML), which takes the other parser.
                                let type = index % 4 == 0 ? "application/yaml" : "application/json"
                                let reply = try client.request(
                                    "POST", url, headers: ["User-Account: alice", "Content-Type: \(type)"],
                                    body: Data(fuzzCase.body.utf8))
                                return ("\(type) \(fuzzCase.name)", reply.status)
                            }
                        }
                    }
                }
                var all: [(String, Int)] = []
                for try await lane in group { all += lane }
                return all
            }
            #expect(results.count == cases.count)
            for (name, status) in results {
                #expect((200..<300).contains(status) || (400..<500).contains(status), "\(status) for \(name)")
            }
            let accepted = results.filter { (200..<300).contains($0.1) }.count
            #expect(accepted > 0)
            try await RobustnessTests.expectServing(gateway)
            print("SubmitFuzzTests: \(results.count) submissions (\(accepted) accepted), seed \(seed), \(ContinuousClock.now - start)")
        }
    }

    /// 10,000 levels of nesting as JSON and as YAML (flow and block) are a 400, and the gateway lives.
    @Test func deepNestingIsA400() async throws {
        try await withGateway { gateway in
            let head = #"{"sparkVersion":"\#(DevEnvironment.sparkVersion)","mainApplicationFile":"x","queue":"dev","arguments":"#
            for (type, body) in [
                ("application/json", head + HostileValues.deepNesting(levels: 10_000) + "}"),
                ("application/json", head + HostileValues.deepNesting(levels: 10_000, objects: true) + "}"),
                ("application/yaml", head + HostileValues.deepNesting(levels: 10_000) + "}"),
                ("application/yaml", "sparkVersion: x\narguments:\n" + String(repeating: "- ", count: 10_000) + "x\n"),
            ] {
                let reply = try await gateway.post("/spark", json: body, headers: ["Content-Type": type])
                #expect(reply.status == 400, "\(type): \(reply.status) \(reply.text.prefix(200))")
            }
            try await RobustnessTests.expectServing(gateway)
        }
    }

    /// The report's request, verbatim: it killed the process.
    @Test(arguments: [
        #""driver":{"cores":9223372036854775807}"#, #""executor":{"cores":9223372036854775}"#,
        #""driver":{"coreLimit":"9223372036854775807m"}"#, #""executor":{"coreLimit":"9223372036854775807m"}"#,
    ])
    func theReportedTrapIsA400NamingTheField(fragment: String) async throws {
        try await withGateway { gateway in
            let body = #"{"sparkVersion":"\#(DevEnvironment.sparkVersion)","mainApplicationFile":"x","queue":"dev",\#(fragment)}"#
            let reply = try await gateway.post("/spark", json: body)
            #expect(reply.status == 400)
            let role = fragment.hasPrefix(#""driver""#) ? "driver" : "executor"
            let field = fragment.contains("coreLimit") ? "coreLimit" : "cores"
            #expect(reply.text.contains("\(role).\(field) must be between"), "\(reply.text)")
            try await RobustnessTests.expectServing(gateway)
        }
    }
}
