import Foundation
import GatewayCore
import JSON
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway
@testable import GatewayServer

/// BPG's operational surface: the admin port (live), its command form and environment switches, the
/// queue-token command, and the config file forms its Helm chart uses.
@Suite struct OperationalSurfaceTests {
    // MARK: Admin port (live)

    /// A gateway in front of the two dev clusters with the admin port on a free port.
    static func withAdminPort(_ body: (GatewayApplication) async throws -> Void) async throws {
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: .uniform(.milliseconds(150)), logger: .disabled)
        var options = GatewayApplication.Options(configuration: dev.configuration.configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.adminPort = 0
        options.shutdownGracePeriod = .seconds(2)
        options.store = InMemorySubmissionStore()
        let gateway: GatewayApplication
        do {
            gateway = try await GatewayApplication.start(options)
        } catch {
            await dev.shutdown()
            throw error
        }
        do {
            try await body(gateway)
        } catch {
            await gateway.shutdown()
            await dev.shutdown()
            throw error
        }
        await gateway.shutdown()
        await dev.shutdown()
    }

    @Test func adminPortServesDropwizardsHealthcheckPingAndMetrics() async throws {
        try await Self.withAdminPort { gateway in
            let admin = "http://127.0.0.1:\(try #require(gateway.adminPort))"
            #expect(gateway.adminPort != gateway.port)

            // The liveness probe of BPG's Helm chart: GET /healthcheck on the admin port, no credentials.
            let health = try await fetch("GET", admin + "/healthcheck")
            #expect(health.status == 200)
            let checks = try #require(try JSONSerialization.jsonObject(with: health.body) as? [String: [String: Any]])
            #expect(Set(checks.keys) == ["deadlocks", "sparkClusters"])
            for (name, check) in checks {
                #expect(check["healthy"] as? Bool == true, "\(name)")
                #expect(check["duration"] is NSNumber, "\(name)")
                let timestamp = try #require(check["timestamp"] as? String)
                #expect(ISO8601DateFormatter.withFractionalSeconds.date(from: timestamp) != nil, "\(timestamp)")
            }

            let ping = try await fetch("GET", admin + "/ping")
            #expect(ping.status == 200)
            #expect(String(decoding: ping.body, as: UTF8.self) == "pong\n")

            // Traffic on the API port shows in the admin port's metrics, in Dropwizard's registry shape.
            let api = "http://127.0.0.1:\(gateway.port)/skatev2"
            let submitted = try await fetch(
                "POST", api + "/spark", headers: ["User-Account: alice", "Content-Type: application/json"],
                body: Data(DevEnvironment.sparkPiRequest.utf8))
            #expect(submitted.status == 200)
            let metrics = try await fetch("GET", admin + "/metrics")
            #expect(metrics.status == 200)
            let registry = try #require(try JSONSerialization.jsonObject(with: metrics.body) as? [String: Any])
            #expect(registry["version"] as? String == "4.0.0")
            for section in ["gauges", "counters", "histograms", "meters", "timers"] {
                #expect(registry[section] is [String: Any], "\(section)")
            }
            let counters = try #require(registry["counters"] as? [String: [String: Any]])
            #expect(
                counters.contains { $0.key.hasPrefix("bpg_submissions_total{") && ($0.value["count"] as? Int ?? 0) >= 1 },
                "\(counters.keys.sorted())")
            let histograms = try #require(registry["histograms"] as? [String: [String: Any]])
            #expect(histograms.values.contains { ($0["count"] as? Int ?? 0) >= 1 && $0["p99"] is NSNumber })

            // The Prometheus endpoint stays on the API port; the admin port serves nothing else.
            let prometheus = try await fetch("GET", "http://127.0.0.1:\(gateway.port)/metrics")
            #expect(prometheus.status == 200 && String(decoding: prometheus.body, as: UTF8.self).contains("# TYPE"))
            #expect(try await fetch("GET", admin + "/skatev2/healthcheck/status").status == 404)
        }
    }

    @Test func healthcheckIsUnhealthyWithoutClustersAsInBPG() throws {
        let endpoints = AdminEndpoints(clusterCount: 0, metrics: GatewayMetrics(providers: .init()))
        let response = endpoints.healthcheck()
        #expect(response.status == 500)
        guard case .bytes(let body) = response.body else {
            Issue.record("expected a buffered body")
            return
        }
        let checks = try #require(try JSONSerialization.jsonObject(with: body) as? [String: [String: Any]])
        #expect(checks["sparkClusters"]?["healthy"] as? Bool == false)
        #expect(checks["sparkClusters"]?["message"] as? String == "sparkClusters is empty")
        #expect(checks["deadlocks"]?["healthy"] as? Bool == true)
    }

    @Test func prometheusTextBecomesDropwizardsRegistryShape() throws {
        let text = """
            # HELP a_total A.
            # TYPE a_total counter
            a_total{route="/x",code="200"} 3
            # HELP g G.
            # TYPE g gauge
            g 1.5
            # HELP h_seconds H.
            # TYPE h_seconds histogram
            h_seconds_bucket{op="x",le="0.1"} 2
            h_seconds_bucket{op="x",le="1"} 9
            h_seconds_bucket{op="x",le="+Inf"} 10
            h_seconds_sum{op="x"} 4
            h_seconds_count{op="x"} 10

            """
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(DropwizardMetricsJSON.render(prometheus: text))) as? [String: Any])
        let counters = try #require(json["counters"] as? [String: [String: Any]])
        #expect(counters[#"a_total{code="200",route="/x"}"#]?["count"] as? Int == 3)
        let gauges = try #require(json["gauges"] as? [String: [String: Any]])
        #expect(gauges["g"]?["value"] as? Double == 1.5)
        let histogram = try #require((json["histograms"] as? [String: [String: Any]])?[#"h_seconds{op="x"}"#])
        #expect(histogram["count"] as? Int == 10)
        #expect(histogram["mean"] as? Double == 0.4)
        #expect(histogram["p50"] as? Double == 1)
        #expect(histogram["p75"] as? Double == 1)
        #expect(histogram["p99"] as? Double == 1, "the +Inf bucket reports the largest finite bound")
    }

    // MARK: Command forms and environment

    @Test func bpgsCommandForm() throws {
        var expected = ServeOptions()
        expected.bpgForm = true
        expected.configPath = "/etc/app_config/app-config.yaml"
        #expect(try CommandParser.parse(["server", "/etc/app_config/app-config.yaml"]) == .serve(expected))
        expected.configPath = nil
        #expect(try CommandParser.parse(["server"]) == .serve(expected))
        expected.configPath = "c.yaml"
        expected.adminPort = 9081
        #expect(try CommandParser.parse(["server", "c.yaml", "--admin-port", "9081"]) == .serve(expected))
        #expect(try CommandParser.parse(["check", "c.yaml"]) == .checkConfig(path: "c.yaml"))
        #expect(try CommandParser.parse(["server", "--help"]) == .help(topic: "serve"))
        #expect(CommandParser.helpText(topic: "serve").contains("bpg server [FILE]"))
        #expect(CommandParser.helpText(topic: "queue-token").contains("-secret"))
        #expect(CommandParser.helpText(topic: nil).contains("queue-token"))
        #expect(throws: UsageError(message: "unknown option 'd.yaml' for server")) {
            try CommandParser.parse(["server", "c.yaml", "d.yaml"])
        }
    }

    @Test func configFileFromBPGsHelmEnvironment() throws {
        let environment = ["CONFIG_FILE_PATH": "/etc/app_config/app-config.yaml", "GZ_FILE_PATH": "/app/app-config.gz"]
        #expect(try LaunchEnvironment.configPath(explicit: "x.yaml", environment: environment) == "x.yaml")
        #expect(try LaunchEnvironment.configPath(explicit: nil, environment: environment, fileExists: { _ in true }) == "/app/app-config.gz")
        #expect(
            try LaunchEnvironment.configPath(explicit: nil, environment: environment, fileExists: { _ in false })
                == "/etc/app_config/app-config.yaml")
        #expect(throws: LaunchEnvironment.Failure.self) { try LaunchEnvironment.configPath(explicit: nil, environment: [:]) }
    }

    @Test(arguments: [
        ([:], true),
        (["APP_MONITOR_ENABLED": "true"], true),
        (["APP_MONITOR_ENABLED": "FALSE"], false),
        (["BPG_MONITOR_ENABLED": "false"], false),
        (["BPG_MONITOR_ENABLED": "true", "APP_MONITOR_ENABLED": "false"], true),
    ] as [([String: String], Bool)])
    func monitorSwitches(_ environment: [String: String], _ enabled: Bool) throws {
        #expect(try LaunchEnvironment.monitorEnabled(environment: environment) == enabled)
    }

    @Test func aMistypedMonitorSwitchIsAnError() {
        #expect(throws: LaunchEnvironment.Failure.self) { try LaunchEnvironment.monitorEnabled(environment: ["APP_MONITOR_ENABLED": "ture"]) }
    }

    @Test func checkConfigReadsTheChartsEncodedFormAndNamesUnsupportedKeys() throws {
        let yaml = CheckConfigTests.valid + "\ns3Bucket: gs://uploads\n"
        let compressed = try Self.gzip(Data(yaml.utf8))
        let path = NSTemporaryDirectory() + "bpg-encoded-\(UUID().uuidString).gz"
        try Data((compressed.base64EncodedString(options: .lineLength76Characters) + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let file = try ConfigurationFile.load(path: path)
        #expect(file.form == .base64Gzip)
        #expect(file.configuration.configuration.sparkClusters.map(\.id) == ["spark-cluster-a"])
        #expect(file.configuration.configuration.unsupportedSettings.map(\.key) == ["s3Bucket"])
        #expect(BPG.checkConfig(path: path) == 0)
    }

    /// Compresses with the system's gzip (a real encoder, not ours), spawned with posix_spawn.
    static func gzip(_ data: Data) throws -> Data {
        let input = NSTemporaryDirectory() + "bpg-gzip-\(UUID().uuidString)"
        try data.write(to: URL(fileURLWithPath: input))
        let status = try ChildProcess.spawn("/bin/gzip", ["-9", input]).wait()
        #expect(status == 0)
        return try Data(contentsOf: URL(fileURLWithPath: input + ".gz"))
    }

    // MARK: Queue tokens

    @Test func queueTokenCommandParsesBPGsGeneratorFlags() throws {
        var expected = QueueTokenOptions()
        expected.secret = "s3cret"
        expected.queues = ["vault"]
        expected.subject = "ci"
        #expect(try CommandParser.parse(["queue-token", "-secret", "s3cret", "-queue", "vault", "-subject", "ci"]) == .queueToken(expected))
        var fromConfig = QueueTokenOptions()
        fromConfig.configPath = "bpg.yaml"
        fromConfig.queues = ["a", "b"]
        fromConfig.expiresInSeconds = 3600
        fromConfig.secretIndex = 1
        #expect(
            try CommandParser.parse(["queue-token", "--config", "bpg.yaml", "--queue", "a", "--queue=b", "--expires-in", "3600", "--secret-index", "1"])
                == .queueToken(fromConfig))
        #expect(throws: UsageError.self) { try CommandParser.parse(["queue-token", "--secret", "s"]) }
        #expect(throws: UsageError.self) { try CommandParser.parse(["queue-token", "--queue", "q"]) }
        #expect(throws: UsageError.self) { try CommandParser.parse(["queue-token", "--queue", "q", "--secret", "s", "--config", "c"]) }
    }

    @Test func theConfiguredSecretIsResolvedLikeTheGatewayResolvesIt() async throws {
        var configuration = GatewayConfiguration()
        configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: ["localhost:env:QUEUE_SECRET", "plaintext:old"])
        let environment = ["QUEUE_SECRET": "from-the-environment"]
        #expect(try await QueueTokenIssuer.configuredSecret(configuration, environment: environment) == "from-the-environment")
        #expect(try await QueueTokenIssuer.configuredSecret(configuration, index: 1, environment: environment) == "old")
        await #expect(throws: QueueTokenIssuer.Failure.self) {
            try await QueueTokenIssuer.configuredSecret(configuration, environment: [:])
        }
        await #expect(throws: QueueTokenIssuer.Failure.self) {
            try await QueueTokenIssuer.configuredSecret(GatewayConfiguration(), environment: environment)
        }
        #expect(throws: QueueTokenIssuer.Failure.self) {
            try QueueTokenIssuer.validate(.init(queues: ["q"], issuer: "someone"), secret: "s")
        }
    }

    /// Live: a token the command issues with the configured secret is accepted for the secure queue
    /// and refused for another.
    @Test func anIssuedTokenOpensTheSecureQueue() async throws {
        try await withGateway(configure: QueueTokenTests.configure) { gateway in
            var configuration = GatewayConfiguration()
            configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: QueueTokenTests.secrets)
            let secret = try await QueueTokenIssuer.configuredSecret(configuration, environment: [:])
            let token = QueueTokenIssuer.issue(.init(queues: ["vault"]), secret: secret)
            #expect(QueueTokenIssuer.gatewayAccepts(token, queue: "vault", secrets: QueueTokenTests.secrets))

            let accepted = try await gateway.post("/spark", json: QueueTokenTests.request(token: token))
            #expect(accepted.status == 200, "\(accepted.text)")
            let other = QueueTokenIssuer.issue(.init(queues: ["dev"]), secret: secret)
            let refused = try await gateway.post("/spark", json: QueueTokenTests.request(token: other))
            #expect(refused.status == 400)
            #expect(refused.text.contains("Queue token does not allow queue vault"))
            let expired = QueueTokenIssuer.issue(
                .init(queues: ["vault"], lifetime: .seconds(60)), secret: secret, now: Date().addingTimeInterval(-3600))
            #expect(try await gateway.post("/spark", json: QueueTokenTests.request(token: expired)).status == 400)
        }
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
