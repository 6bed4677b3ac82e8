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
}
