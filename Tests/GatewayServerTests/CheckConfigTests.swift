import Foundation
import Testing

@testable import Gateway
@testable import GatewayServer

/// `bpg check-config FILE`: every problem with its key path, exit 1 on errors, warnings alone exit 0.
@Suite struct CheckConfigTests {
    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "bpg-check-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let valid = """
        allowedUsers: ['*']
        sparkImages: [{name: img, types: [Java], version: '3.5.0'}]
        queues: [{name: dev}]
        sparkClusters:
          - id: spark-cluster-a
            weight: 100
            masterUrl: https://127.0.0.1:6443
            caCertDataSOPS: Zm9v
            userTokenSOPS: plaintext:token-token-token
            sparkVersions: ['3.5.0']
            queues: [dev]
        someFutureKey: ignored
        """

    @Test func aValidConfigPassesWithWarningsForUnknownKeys() throws {
        let path = try Self.write(Self.valid)
        #expect(BPG.checkConfig(path: path) == 0)
        let loaded = try ConfigurationLoader.load(path: path)
        #expect(loaded.unknownKeys == ["someFutureKey"])
    }

    @Test func everyProblemIsListedWithItsKeyPath() throws {
        let broken = Self.valid
            .replacingOccurrences(of: "weight: 100", with: "weight: -1")
            .replacingOccurrences(of: "queues: [dev]\n", with: "queues: [dev, ghost]\n")
        let path = try Self.write(broken)
        #expect(BPG.checkConfig(path: path) == 1)
        do {
            _ = try ConfigurationLoader.load(path: path)
            Issue.record("a broken config loaded")
        } catch {
            let text = error.description
            #expect(text.contains("sparkClusters[0].weight"), "\(text)")
            #expect(text.contains("ghost"), "\(text)")
        }
    }

    /// Numbers that would overflow arithmetic at startup or on every submission, as YAML writes them.
    @Test func outOfRangeNumbersAreListedWithTheirKeyPaths() throws {
        let broken = Self.valid
            .replacingOccurrences(of: "queues: [{name: dev}]", with: "queues: [{name: dev, driverCPUBufferRatio: 1e300, maxRunningMillis: 9223372036854775807}]")
            .replacingOccurrences(of: "weight: 100", with: "weight: 100\n    timeoutMillis: 9223372036854775807")
            + "\nstatusCacheExpireMillis: 9223372036854775807\nvCoreSecondCost: NaN\ngateway: {health: {probeIntervalMillis: 9223372036854775807}}\n"
        let path = try Self.write(broken)
        #expect(BPG.checkConfig(path: path) == 1)
        do {
            _ = try ConfigurationLoader.load(path: path)
            Issue.record("a config with out-of-range numbers loaded")
        } catch {
            let text = error.description
            for key in [
                "queues[0].driverCPUBufferRatio: must be between 0.01 and 100.0", "queues[0].maxRunningMillis: must be between",
                "sparkClusters[0].timeoutMillis: must be between", "statusCacheExpireMillis: must be between",
                "vCoreSecondCost: must be between", "gateway.health.probeIntervalMillis: must be between",
            ] {
                #expect(text.contains(key), "\(key) in \(text)")
            }
        }
    }

    @Test func unreadableAndMalformedFilesAreReported() throws {
        #expect(BPG.checkConfig(path: "/nonexistent/bpg.yaml") == 1)
        let path = try Self.write("sparkClusters: [\n  - id: a\n")
        do {
            _ = try ConfigurationLoader.load(path: path)
            Issue.record("malformed YAML loaded")
        } catch {
            #expect(error.description.contains("line"), "\(error.description)")
        }
    }
}
