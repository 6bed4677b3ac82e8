import Foundation
import JSON
import KubeClient
import Testing

@testable import KubeSimulator

/// The real kubectl against a live simulator, through a private kubeconfig (CA inline, bearer token).
struct KubectlTests {
    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs kubectl with its own kubeconfig and discovery cache; waits without blocking the cooperative pool.
    static func kubectl(_ arguments: [String], kubeconfig: URL, cache: URL) async throws -> Run {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = cache.path
        environment["KUBECONFIG"] = nil
        let arguments = ["--kubeconfig", kubeconfig.path, "--cache-dir", cache.path, "--request-timeout", "20s"] + arguments
        let childEnvironment = environment
        // Blocking: on a thread of its own, never on the cooperative pool.
        let completion: ChildProcess.Completion = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result {
                    try ChildProcess.run("/usr/bin/kubectl", arguments, environment: childEnvironment, timeout: .seconds(60))
                })
            }.start()
        }
        return Run(
            status: completion.status, stdout: String(decoding: completion.standardOutput, as: UTF8.self),
            stderr: String(decoding: completion.standardError, as: UTF8.self))
    }

    @Test func kubectlListsGetsAndDeletesSparkApplications() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") else {
            Issue.record("kubectl is not installed (scripts/setup.sh installs kubernetes-client)")
            return
        }
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = .uniform(.milliseconds(20))
        let cluster = SimulatedCluster(configuration: configuration)
        try cluster.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(cluster.kubeconfig(namespace: "spark").utf8).write(to: kubeconfig)
        let cache = directory.appendingPathComponent("cache")

        for name in ["pi-one", "pi-two"] {
            try cluster.store.create(.sparkApplications, namespace: "spark", object: APIHarness.sparkPi(name))
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
            (try? cluster.store.get(.sparkApplications, namespace: "spark", name: "pi-two"))?[path: ["status", "applicationState", "state"]] != "COMPLETED"
        {
            try await Task.sleep(for: .milliseconds(20))
        }

        let list = try await Self.kubectl(["get", "sparkapplications", "-n", "spark"], kubeconfig: kubeconfig, cache: cache)
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n")
        #expect(rows.first?.split(separator: " ").first == "NAME")
        #expect(rows.first?.contains("STATUS") == true)
        #expect(rows.dropFirst().map { $0.split(separator: " ").first } == ["pi-one", "pi-two"])
        #expect(rows.dropFirst().allSatisfy { $0.contains("COMPLETED") }, "\(list.stdout)")

        let short = try await Self.kubectl(["get", "sparkapp"], kubeconfig: kubeconfig, cache: cache)
        #expect(short.status == 0, "\(short.stderr)")
        #expect(short.stdout.contains("pi-one"))

        let json = try await Self.kubectl(["get", "sparkapplication", "pi-one", "-n", "spark", "-o", "json"], kubeconfig: kubeconfig, cache: cache)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONValue(parsing: Data(json.stdout.utf8))
        #expect(object["kind"] == "SparkApplication")
        #expect(object[path: ["metadata", "name"]] == "pi-one")
        #expect(object[path: ["status", "applicationState", "state"]] == "COMPLETED")

        let missing = try await Self.kubectl(["get", "sparkapplication", "nope", "-n", "spark"], kubeconfig: kubeconfig, cache: cache)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("\"nope\" not found"), "\(missing.stderr)")

        let delete = try await Self.kubectl(["delete", "sparkapplication", "pi-one", "-n", "spark"], kubeconfig: kubeconfig, cache: cache)
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout.contains("pi-one"))
        #expect(delete.stdout.contains("deleted"))
        #expect(throws: KubeStatus.self) { try cluster.store.get(.sparkApplications, namespace: "spark", name: "pi-one") }
        #expect((try? cluster.store.get(.sparkApplications, namespace: "spark", name: "pi-two")) != nil)

        let pods = try await Self.kubectl(["get", "pods", "-n", "spark", "-l", "spark-role=driver"], kubeconfig: kubeconfig, cache: cache)
        #expect(pods.status == 0, "\(pods.stderr)")
        #expect(pods.stdout.contains("pi-two-driver"))
        #expect(!pods.stdout.contains("pi-one-driver"))

        let describe = try await Self.kubectl(["describe", "sparkapplication", "pi-two", "-n", "spark"], kubeconfig: kubeconfig, cache: cache)
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.stdout.contains("SparkApplicationCompleted"), "\(describe.stdout)")

        let logs = try await Self.kubectl(["logs", "pi-two-driver", "-n", "spark", "--tail", "4"], kubeconfig: kubeconfig, cache: cache)
        #expect(logs.status == 0, "\(logs.stderr)")
        #expect(logs.stdout.hasPrefix("Pi is roughly 3.14"))
        await cluster.shutdown()
    }

    @Test func kubectlWatchShowsTheStatesAsTheyHappen() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") else {
            Issue.record("kubectl is not installed (scripts/setup.sh installs kubernetes-client)")
            return
        }
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = .uniform(.milliseconds(200))
        let cluster = SimulatedCluster(configuration: configuration)
        try cluster.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(cluster.kubeconfig(namespace: "spark").utf8).write(to: kubeconfig)

        let output = directory.appendingPathComponent("output")
        let process = try ChildProcess.spawn(
            "/usr/bin/kubectl",
            ["--kubeconfig", kubeconfig.path, "--cache-dir", directory.appendingPathComponent("cache").path, "get", "sparkapp", "-w"],
            output: .file(output.path))
        // Create the application once kubectl's watch is open (the operator holds the other watch),
        // however long kubectl takes to start.
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, cluster.store.watcherCount < 2 {
            try await Task.sleep(for: .milliseconds(20))
        }
        try cluster.store.create(.sparkApplications, namespace: "spark", object: APIHarness.sparkPi("pi"))
        var text = ""
        while ContinuousClock.now < deadline, !text.contains("COMPLETED") {
            try await Task.sleep(for: .milliseconds(100))
            text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        }
        process.terminate()
        await withCheckedContinuation { continuation in
            Thread {
                process.wait()
                continuation.resume()
            }.start()
        }
        // One line per state change, printed with the CRD's columns (watch events carry Tables).
        let states = text.split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: " ").first { ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"].contains(String($0)) }.map(String.init)
        }
        #expect(text.contains("NAME"), "\(text)")
        #expect(states == ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"], "\(text)")
        await cluster.shutdown()
    }

    /// Changing objects as a user would: apply (create, then a changed apply), label, annotate, patch
    /// (merge, JSON, strategic on pods), a server-side dry-run delete, namespaces that must exist, and
    /// the CRD's validation reaching kubectl as the API server's message.
    @Test func kubectlChangesObjects() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/kubectl") else {
            Issue.record("kubectl is not installed (scripts/setup.sh installs kubernetes-client)")
            return
        }
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = .uniform(.seconds(3600))  // the operator keeps out of the way
        configuration.namespaces = ["spark"]
        configuration.crd = try? SchemaOracle.loadCRD()
        let cluster = SimulatedCluster(configuration: configuration)
        try cluster.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(cluster.kubeconfig(namespace: "spark").utf8).write(to: kubeconfig)
        let cache = directory.appendingPathComponent("cache")
        func run(_ arguments: [String]) async throws -> Run { try await Self.kubectl(arguments, kubeconfig: kubeconfig, cache: cache) }
        func stored() throws -> JSONValue { try cluster.store.get(.sparkApplications, namespace: "spark", name: "pi") }

        let file = directory.appendingPathComponent("pi.json")
        var app = APIHarness.sparkPi("pi")
        try app.serialized().write(to: file)
        let created = try await run(["apply", "-f", file.path, "--validate=false"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created"), "\(created.stdout)")

        app[path: ["spec", "arguments"]] = ["50"]
        try app.serialized().write(to: file)
        let applied = try await run(["apply", "-f", file.path, "--validate=false"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("configured"), "\(applied.stdout)")
        #expect(try stored()[path: ["spec", "arguments"]] == ["50"])
        #expect(try stored()[path: ["metadata", "generation"]] == 2)

        let label = try await run(["label", "sparkapp", "pi", "team=data"])
        #expect(label.status == 0, "\(label.stderr)")
        #expect(try stored()[path: ["metadata", "labels", "team"]] == "data")
        let annotate = try await run(["annotate", "sparkapp", "pi", "owner=alice"])
        #expect(annotate.status == 0, "\(annotate.stderr)")
        #expect(try stored()[path: ["metadata", "annotations", "owner"]] == "alice")

        let merge = try await run(["patch", "sparkapp", "pi", "--type", "merge", "-p", #"{"spec":{"suspend":true}}"#])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try stored()[path: ["spec", "suspend"]] == true)
        let json = try await run(["patch", "sparkapp", "pi", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/arguments/0","value":"7"}]"#])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try stored()[path: ["spec", "arguments"]] == ["7"])
        let strategic = try await run(["patch", "sparkapp", "pi", "-p", #"{"spec":{"suspend":false}}"#])
        #expect(strategic.status != 0, "custom resources have no strategic merge patch")

        if configuration.crd != nil {
            let invalid = try await run(["patch", "sparkapp", "pi", "--type", "merge", "-p", #"{"spec":{"restartPolicy":{"type":"Sometimes"}}}"#])
            #expect(invalid.status != 0)
            #expect(invalid.stderr.contains("Unsupported value: \"Sometimes\""), "\(invalid.stderr)")
            // With the OpenAPI v3 document served, kubectl validates on the server (fieldValidation=Strict)
            // without --validate=false, and explains the CRD's fields.
            var unknown = APIHarness.sparkPi("strict")
            unknown[path: ["spec", "favouriteColour"]] = "blue"
            let strictFile = directory.appendingPathComponent("strict.json")
            try unknown.serialized().write(to: strictFile)
            let strict = try await run(["apply", "-f", strictFile.path])
            #expect(strict.status != 0)
            #expect(strict.stderr.contains(#"strict decoding error: unknown field "spec.favouriteColour""#), "\(strict.stderr)")
            let explain = try await run(["explain", "sparkapplication.spec.restartPolicy"])
            #expect(explain.status == 0, "\(explain.stderr)")
            #expect(explain.stdout.contains("onFailureRetries"), "\(explain.stdout)")
        }

        try cluster.store.create(.pods, namespace: "spark", object: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "pi-driver"], "spec": ["containers": [["name": "spark-kubernetes-driver", "image": "spark"]]]])
        let podLabel = try await run(["label", "pod", "pi-driver", "spark-role=driver"])
        #expect(podLabel.status == 0, "\(podLabel.stderr)")
        #expect(try cluster.store.get(.pods, namespace: "spark", name: "pi-driver")[path: ["metadata", "labels", "spark-role"]] == "driver")

        let dryDelete = try await run(["delete", "sparkapp", "pi", "--dry-run=server"])
        #expect(dryDelete.status == 0, "\(dryDelete.stderr)")
        #expect((try? stored()) != nil, "a server-side dry run deletes nothing")

        let elsewhere = try await run(["apply", "-f", file.path, "--validate=false", "-n", "nowhere"])
        #expect(elsewhere.status != 0)
        #expect(elsewhere.stderr.contains("namespaces \"nowhere\" not found"), "\(elsewhere.stderr)")
        let namespace = try await run(["create", "namespace", "nowhere"])
        #expect(namespace.status == 0, "\(namespace.stderr)")
        let there = try await run(["apply", "-f", file.path, "--validate=false", "-n", "nowhere"])
        #expect(there.status == 0, "\(there.stderr)")
        await cluster.shutdown()
    }
}
