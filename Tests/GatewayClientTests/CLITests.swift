import Foundation
import Gateway
import GatewayClient
import JSON
import KubeClient
import KubeSimulator
import TestSupport
import Testing
import YAML

/// The `bpg` client commands, run as the built binary against a live dev-mode gateway over loopback.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CLITests {
    static let request = DevEnvironment.sparkPiRequest

    static func environment(_ gateway: LiveGateway, user: String? = "alice", _ extra: [String: String] = [:]) -> [String: String] {
        var values = ["BPG_URL": gateway.url]
        if let user { values["BPG_USER"] = user }
        return BPGBinary.environment(values.merging(extra) { $1 })
    }

    @Test func submitStatusDescribeListAndDelete() async throws {
        try await withLiveGateway { gateway in
            let environment = Self.environment(gateway)
            let file = try temporaryFile(Self.request)
            let submitted = try await BPGBinary.run(["submit", file], environment: environment)
            #expect(submitted.status == 0, "\(submitted)")
            let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(id.hasPrefix("spark-cluster-"), "\(submitted)")
            #expect(submitted.stderr.isEmpty, "\(submitted)")

            let status = try await BPGBinary.run(["status", id], environment: environment)
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.hasPrefix("FIELD"), "\(status)")
            #expect(status.stdout.contains("Submission  " + id) || status.stdout.contains(id), "\(status)")

            let json = try await BPGBinary.run(["status", id, "-o", "json"], environment: environment)
            #expect(json.status == 0, "\(json)")
            let document = try JSONValue(parsing: Array(json.stdout.utf8))
            #expect(document["applicationState"]?.stringValue != nil, "\(json)")

            let yaml = try await BPGBinary.run(["--output=yaml", "status", id], environment: environment)
            #expect(yaml.status == 0, "\(yaml)")
            let parsed = try YAMLDecoder().decode(JSONValue.self, from: yaml.stdout)
            #expect(parsed["applicationState"] == document["applicationState"] || parsed["applicationState"] != nil, "\(yaml)")

            // Wait for the monitor to list it, then list in every format.
            let listed = try await eventually {
                try await BPGBinary.run(["list"], environment: environment).stdout.contains(id)
            }
            #expect(listed)
            let table = try await BPGBinary.run(["list"], environment: environment)
            #expect(table.stdout.hasPrefix("SUBMISSION ID"), "\(table)")
            #expect(table.stdout.contains("SparkPi"), "\(table)")
            let listJSON = try await BPGBinary.run(["list", "-o", "json"], environment: environment)
            let array = try JSONValue(parsing: Array(listJSON.stdout.utf8)).arrayValue ?? []
            #expect(array.contains { $0["submissionId"]?.stringValue == id }, "\(listJSON)")
            let listYAML = try await BPGBinary.run(["list", "--output", "yaml"], environment: environment)
            #expect(listYAML.stdout.contains("submissionId: " + id), "\(listYAML)")
            let filtered = try await BPGBinary.run(["list", "--state", "NO_SUCH_STATE"], environment: environment)
            #expect(filtered.status == 0 && !filtered.stdout.contains(id), "\(filtered)")
            let all = try await BPGBinary.run(["list", "--all"], environment: environment)
            #expect(all.status == 0 && all.stdout.contains("USER") && all.stdout.contains(id), "\(all)")

            let describe = try await BPGBinary.run(["describe", id], environment: environment)
            #expect(describe.status == 0, "\(describe)")
            #expect(describe.stdout.contains("--- Spark Spec ---"), "\(describe)")
            let describeJSON = try await BPGBinary.run(["describe", id, "-o", "json"], environment: environment)
            let described = try JSONValue(parsing: Array(describeJSON.stdout.utf8))
            #expect(described["spec"]?["mainClass"]?.stringValue == "org.apache.spark.examples.SparkPi", "\(describeJSON)")

            let deleted = try await BPGBinary.run(["delete", id], environment: environment)
            #expect(deleted.status == 0 && deleted.stdout == "deleted \(id)\n", "\(deleted)")
        }
    }

    @Test func submitWithOverridesFromStandardInputAsYAML() async throws {
        try await withLiveGateway { gateway in
            let environment = Self.environment(gateway)
            let yaml = """
                applicationName: FromYAML
                queue: dev
                sparkVersion: "3.5.0"
                mainApplicationFile: local:///usr/lib/spark/examples/jars/spark-examples.jar
                mainClass: org.apache.spark.examples.SparkPi
                arguments: ["10"]
                driver: {cores: 1, memory: 1g}
                executor: {instances: 1, cores: 1, memory: 1g}
                """
            let file = try temporaryFile(yaml, name: "request.yaml")
            let plain = try await BPGBinary.shell("\"$BPG\" submit - < '\(file)'", environment: environment)
            #expect(plain.status == 0, "\(plain)")
            let changed = try await BPGBinary.shell(
                "\"$BPG\" submit - --queue poc --name Renamed --conf spark.foo=bar --conf spark.x=1 -o json < '\(file)'",
                environment: environment)
            #expect(changed.status == 0, "\(changed)")
            let id = try #require(try JSONValue(parsing: Array(changed.stdout.utf8))["submissionId"]?.stringValue, "\(changed)")
            let spec = try await BPGBinary.run(["describe", id, "-o", "json"], environment: environment)
            let document = try JSONValue(parsing: Array(spec.stdout.utf8))
            #expect(document[path: ["spec", "sparkConf", "spark.foo"]]?.stringValue == "bar", "\(spec)")
        }
    }

    @Test func waitExitsZeroWhenTheJobCompletes() async throws {
        try await withLiveGateway { gateway in
            let file = try temporaryFile(Self.request)
            let result = try await BPGBinary.run(["submit", file, "--wait"], environment: Self.environment(gateway))
            #expect(result.status == 0, "\(result)")
            let id = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
            // Not a terminal: one plain, timestamped line per state, ending with COMPLETED.
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.last?.hasSuffix("\(id) COMPLETED") == true, "\(result)")
            #expect(lines.allSatisfy { $0.contains(id) && $0.first?.isNumber == true }, "\(result)")
            #expect(!result.stderr.contains("\r"), "\(result)")
        }
    }

    @Test func waitExitsOneWithTheReasonWhenTheJobFails() async throws {
        let timings = SimulatedOperatorTimings(submission: .seconds(3), start: .milliseconds(300), run: .milliseconds(800))
        try await withLiveGateway(timings: timings) { gateway in
            let file = try temporaryFile(Self.request)
            let output = NSTemporaryDirectory() + "bpg-cli-wait-\(UUID().uuidString).log"
            let child = try ChildProcess.spawn(
                try BPGBinary.path, ["submit", file, "--wait"], environment: Self.environment(gateway), output: .file(output))
            // The id is the first line; fail the job before the operator starts it.
            @Sendable func firstLine() -> String? {
                let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                guard let line = text.split(separator: "\n").first, line.hasPrefix("spark-cluster-") else { return nil }
                return String(line)
            }
            let known = await eventually(timeout: .seconds(20)) { firstLine() != nil }
            #expect(known)
            let id = firstLine() ?? ""
            gateway.setOutcome(.failed, for: id)
            let status = try await onThread { child.wait() }
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(status == 1, "\(text)")
            #expect(text.contains("\(id) FAILED"), "\(text)")
            #expect(text.contains("bpg: job \(id) ended FAILED"), "\(text)")
        }
    }

    @Test func statusWaitReportsAFailedJobAndLogsPrintTheDriverLog() async throws {
        try await withLiveGateway { gateway in
            let environment = Self.environment(gateway)
            let file = try temporaryFile(Self.request)
            let submitted = try await BPGBinary.run(["submit", file], environment: environment)
            let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            gateway.setOutcome(.failed, for: id)
            let waited = try await BPGBinary.run(["status", id, "--wait"], environment: environment)
            #expect(waited.status == 1, "\(waited)")
            #expect(waited.stdout.contains("FAILED"), "\(waited)")

            let good = try await BPGBinary.run(["submit", file, "--wait"], environment: environment)
            #expect(good.status == 0, "\(good)")
            let goodId = good.stdout.split(separator: "\n").first.map(String.init) ?? ""
            let log = try await BPGBinary.run(["logs", goodId], environment: environment)
            #expect(log.status == 0, "\(log)")
            #expect(log.stdout.contains("Pi is roughly"), "\(log)")
        }
    }

    @Test func submitWithLogsFollowsTheDriverLog() async throws {
        try await withLiveGateway { gateway in
            let file = try temporaryFile(Self.request)
            let result = try await BPGBinary.run(["submit", file, "--logs"], environment: Self.environment(gateway))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Pi is roughly"), "\(result)")
        }
    }

    @Test func clustersNeedAnAdminAndShowEachCluster() async throws {
        try await withLiveGateway(configure: { $0.gateway.auth.adminUsers = ["root"] }) { gateway in
            let refused = try await BPGBinary.run(["clusters"], environment: Self.environment(gateway, user: "alice"))
            #expect(refused.status == 5, "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
            #expect(refused.stderr.contains("not an admin"), "\(refused)")

            let shown = try await BPGBinary.run(["clusters"], environment: Self.environment(gateway, user: "root"))
            #expect(shown.status == 0, "\(shown)")
            #expect(shown.stdout.hasPrefix("CLUSTER"), "\(shown)")
            #expect(shown.stdout.contains("spark-cluster-a") && shown.stdout.contains("spark-cluster-b"), "\(shown)")
            let json = try await BPGBinary.run(["clusters", "-o", "json"], environment: Self.environment(gateway, user: "root"))
            #expect(try JSONValue(parsing: Array(json.stdout.utf8))["clusters"]?.arrayValue?.count == 2, "\(json)")
        }
    }

    @Test func badInputGetsOneLineAndTheDocumentedExitStatus() async throws {
        try await withLiveGateway { gateway in
            let environment = Self.environment(gateway)
            // Usage errors: 2.
            for arguments in [["submit", "x.json", "--frobnicate"], ["status"], ["list", "--state"], ["status", "a", "b"], ["-o", "xml", "list"]] {
                let result = try await BPGBinary.run(arguments, environment: environment)
                #expect(result.status == 2, "\(arguments): \(result)")
                #expect(result.stderr.hasPrefix("bpg: "), "\(arguments): \(result)")
            }
            // An unreadable file: 3, one line.
            let missing = try await BPGBinary.run(["submit", "/nonexistent/request.json"], environment: environment)
            #expect(missing.status == 3, "\(missing)")
            #expect(missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("/nonexistent/request.json"), "\(missing)")
            // The server refuses the request: 3, with its message.
            let bad = try temporaryFile(#"{"queue":"dev","mainApplicationFile":"local:///x.jar"}"#)
            let refused = try await BPGBinary.run(["submit", bad], environment: environment)
            #expect(refused.status == 3, "\(refused)")
            #expect(refused.stderr == "bpg: sparkVersion is required (HTTP 400)\n", "\(refused)")
            // An unknown id: 3 (404).
            let unknown = try await BPGBinary.run(["status", "spark-cluster-a-" + String(repeating: "0", count: 32)], environment: environment)
            #expect(unknown.status == 3, "\(unknown)")
            #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown)")
            // No credentials at all: 5.
            let anonymous = try await BPGBinary.run(["list"], environment: Self.environment(gateway, user: nil))
            #expect(anonymous.status == 5, "\(anonymous)")
            #expect(anonymous.stderr.split(separator: "\n").count == 1, "\(anonymous)")
        }
        // Nothing listening: 4, one line.
        let port = try freePortBelowEphemeralRange()
        let down = try await BPGBinary.run(
            ["list", "--url", "http://127.0.0.1:\(port)"], environment: BPGBinary.environment(["BPG_USER": "alice"]))
        #expect(down.status == 4, "\(down)")
        #expect(down.stderr.hasPrefix("bpg: cannot reach the gateway") && down.stderr.split(separator: "\n").count == 1, "\(down)")
        // No gateway configured anywhere: 2.
        let nowhere = try await BPGBinary.run(["list"], environment: BPGBinary.environment())
        #expect(nowhere.status == 2 && nowhere.stderr.contains("--url"), "\(nowhere)")
    }

    @Test func passwordsAreNeverPrinted() async throws {
        let secret = "pw-\(UUID().uuidString)"
        try await withLiveGateway(configure: { $0.gateway.auth.adminUsers = ["root"] }) { gateway in
            for arguments in [["clusters"], ["status", "spark-cluster-a-" + String(repeating: "1", count: 32)], ["list", "-o", "yaml"]] {
                let result = try await BPGBinary.run(arguments, environment: Self.environment(gateway, ["BPG_PASSWORD": secret]))
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(result)")
            }
            // From a context's password-command, with a URL that must not carry credentials.
            let home = NSTemporaryDirectory() + "bpg-cli-ctx-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: home + "/bpg", withIntermediateDirectories: true)
            try """
                current-context: local
                contexts:
                  - name: local
                    url: \(gateway.url)/skatev2
                    user: alice
                    password-command: echo \(secret)
                """.write(toFile: home + "/bpg/config.yaml", atomically: true, encoding: .utf8)
            let viaContext = try await BPGBinary.run(["clusters"], environment: BPGBinary.environment(["XDG_CONFIG_HOME": home]))
            #expect(viaContext.status == 5, "\(viaContext)")
            #expect(!viaContext.stdout.contains(secret) && !viaContext.stderr.contains(secret), "\(viaContext)")
            let listed = try await BPGBinary.run(["list"], environment: BPGBinary.environment(["XDG_CONFIG_HOME": home]))
            #expect(listed.status == 0, "\(listed)")
            let inURL = try await BPGBinary.run(["list", "--url", "http://alice:\(secret)@127.0.0.1:1"], environment: BPGBinary.environment())
            #expect(inURL.status == 2 && !inURL.stderr.contains(secret), "\(inURL)")
            let flag = try await BPGBinary.run(["list", "--password", secret], environment: BPGBinary.environment())
            #expect(flag.status == 2 && !flag.stderr.contains(secret), "\(flag)")
        }
    }

    @Test func completionScriptsParse() async throws {
        for shell in ["bash", "zsh"] {
            let result = try await BPGBinary.run(["completion", shell], environment: BPGBinary.environment())
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("submit") && result.stdout.contains("--wait"), "\(result)")
            let file = try temporaryFile(result.stdout, name: "bpg.\(shell)")
            if FileManager.default.isExecutableFile(atPath: "/bin/\(shell)") || FileManager.default.isExecutableFile(atPath: "/usr/bin/\(shell)") {
                let check = try await onThread { try ChildProcess.run(shell, ["-n", file], timeout: .seconds(20)) }
                #expect(check.status == 0, "\(shell) -n: \(String(decoding: check.standardError, as: UTF8.self))")
            }
        }
        // bash: completing `bpg sub` offers submit, `bpg submit --w` offers --wait.
        let script = try await BPGBinary.run(["completion", "bash"], environment: BPGBinary.environment())
        let file = try temporaryFile(script.stdout, name: "bpg.bash")
        let probe = """
            source '\(file)'
            COMP_WORDS=(bpg sub); COMP_CWORD=1; _bpg; echo "${COMPREPLY[@]}"
            COMP_WORDS=(bpg submit --w); COMP_CWORD=2; _bpg; echo "${COMPREPLY[@]}"
            """
        let run = try await onThread { try ChildProcess.run("/bin/bash", ["-c", probe], timeout: .seconds(20)) }
        let lines = String(decoding: run.standardOutput, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "submit", "\(lines)")
        #expect(lines.dropFirst().first == "--wait", "\(lines)")
        let wrong = try await BPGBinary.run(["completion", "fish"], environment: BPGBinary.environment())
        #expect(wrong.status == 2, "\(wrong)")
    }
}
