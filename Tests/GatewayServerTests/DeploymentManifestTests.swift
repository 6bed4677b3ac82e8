import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import Testing
import YAML

@testable import Gateway
@testable import GatewayServer

/// The Kubernetes manifests under deploy/kubernetes, rendered the way users render them
/// (`kubectl kustomize`): valid against the Kubernetes 1.30 schemas, probes that point at ports the
/// container declares and paths the gateway serves there, and a config that passes `check-config`.
@Suite struct DeploymentManifestTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let deployments = ["overlays/dev", "overlays/production", "spark-cluster-rbac"]

    /// A program on PATH, or nil.
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `kubernetes-validate` from the test tools' virtual environment (scripts/setup.sh --tests) or PATH.
    static var kubernetesValidate: String? {
        let local = repositoryRoot.appendingPathComponent(".build-python/venv/bin/kubernetes-validate").path
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return executable("kubernetes-validate")
    }

    /// Runs `program` with the project's `ChildProcess` (Foundation's `Process` crashed in test runs
    /// that start many threads) on a thread of its own, never on the cooperative pool.
    static func run(_ program: String, _ arguments: [String]) async throws -> ChildProcess.Completion {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try ChildProcess.run(program, arguments, timeout: .seconds(120)) })
            }.start()
        }
    }

    /// The rendered objects of one kustomization, as JSON-shaped dictionaries.
    static func render(_ directory: String) async throws -> (text: String, objects: [[String: Any]]) {
        let kubectl = try #require(executable("kubectl"))
        let path = repositoryRoot.appendingPathComponent("deploy/kubernetes/\(directory)").path
        let result = try await run(kubectl, ["kustomize", path])
        let text = String(decoding: result.standardOutput, as: UTF8.self)
        try #require(
            result.status == 0, "kubectl kustomize \(directory): \(String(decoding: result.standardError, as: UTF8.self))")
        let objects = try YAML.parse(text).compactMap { $0.jsonObject() as? [String: Any] }
        return (text, objects)
    }

    static let needsKubectl: ConditionTrait = .disabled(
        if: executable("kubectl") == nil, "kubectl is not installed (scripts/setup.sh installs it)")

    @Test(
        "every kustomization renders and validates against Kubernetes 1.30", needsKubectl,
        arguments: deployments)
    func validatesAgainstTheKubernetesSchemas(_ directory: String) async throws {
        let rendered = try await Self.render(directory)
        #expect(!rendered.objects.isEmpty)
        guard let validator = Self.kubernetesValidate else {
            Issue.record("kubernetes-validate is not installed: run ./scripts/setup.sh --tests")
            return
        }
        let file = NSTemporaryDirectory() + "bpg-manifests-\(UUID().uuidString).yaml"
        try rendered.text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try await Self.run(validator, ["--kubernetes-version", "1.30.0", "--strict", file])
        #expect(
            result.status == 0,
            "\(directory): \(String(decoding: result.standardOutput + result.standardError, as: UTF8.self))")
    }

    @Test(
        "probes point at declared ports and at paths the gateway's admin port serves", needsKubectl,
        arguments: ["overlays/dev", "overlays/production"])
    func probesPointAtRealPathsAndPorts(_ directory: String) async throws {
        let objects = try await Self.render(directory).objects
        let deployment = try #require(objects.first { $0["kind"] as? String == "Deployment" })
        let podSpec = try #require((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])
        let containers = try #require((podSpec["spec"] as? [String: Any])?["containers"] as? [[String: Any]])
        let container = try #require(containers.first)
        let ports = (container["ports"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) { ports, port in
            if let name = port["name"] as? String, let number = port["containerPort"] as? Int { ports[name] = number }
        }
        let configuration = try Self.configuration(of: objects)
        // `--admin-port` in the container's arguments wins over the config file, as in `bpg serve`.
        let arguments = container["args"] as? [String] ?? []
        let adminPort = arguments.firstIndex(of: "--admin-port").flatMap { Int(arguments[$0 + 1]) }
            ?? configuration.configuration.server?.adminPort
        for probeName in ["startupProbe", "livenessProbe", "readinessProbe"] {
            let probe = try #require(container[probeName] as? [String: Any], "\(directory): \(probeName) is missing")
            let get = try #require(probe["httpGet"] as? [String: Any], "\(directory): \(probeName) is not an HTTP probe")
            let port: Int? = (get["port"] as? Int) ?? (get["port"] as? String).flatMap { ports[$0] }
            #expect(port == adminPort, "\(directory): \(probeName) targets \(get["port"] ?? "nothing"), the admin port is \(adminPort)")
            let path = try #require(get["path"] as? String)
            let status = await Self.adminResponder(clusterCount: configuration.configuration.sparkClusters.count)
                .respond(to: HTTPRequest(method: .get, path: path)).status
            #expect(status == 200, "\(directory): \(probeName) GET \(path) on the admin port answers \(status)")
        }
    }

    /// The admin port's routes, as the bundled server mounts them.
    static func adminResponder(clusterCount: Int) -> HTTPResponder {
        var router = HTTPRouterBuilder()
        AdminEndpoints(clusterCount: clusterCount, metrics: GatewayMetrics(providers: .init())).register(into: &router)
        return router.build()
    }

    @Test(
        "the config each overlay mounts passes check-config", needsKubectl,
        arguments: ["overlays/dev", "overlays/production"])
    func mountedConfigurationPassesCheckConfig(_ directory: String) async throws {
        let objects = try await Self.render(directory).objects
        let text = try Self.configurationText(of: objects)
        let path = NSTemporaryDirectory() + "bpg-manifest-config-\(UUID().uuidString).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(BPG.checkConfig(path: path) == 0)
    }

    @Test(
        "each Spark cluster grants only what the gateway calls, in one namespace",
        needsKubectl)
    func sparkClusterAccessIsNamespaced() async throws {
        let objects = try await Self.render("spark-cluster-rbac").objects
        let kinds = Set(objects.compactMap { $0["kind"] as? String })
        #expect(!kinds.contains("ClusterRole") && !kinds.contains("ClusterRoleBinding"))
        let role = try #require(objects.first { $0["kind"] as? String == "Role" })
        let rules = try #require(role["rules"] as? [[String: Any]])
        let resources = Set(rules.flatMap { $0["resources"] as? [String] ?? [] })
        #expect(resources == ["sparkapplications", "pods", "pods/log", "events"])
        #expect(!resources.contains("secrets"))
        let verbs = Set(rules.flatMap { $0["verbs"] as? [String] ?? [] })
        #expect(!verbs.contains("*") && !verbs.contains("escalate") && !verbs.contains("impersonate"))
    }

    static func configurationText(of objects: [[String: Any]]) throws -> String {
        let configMap = try #require(objects.first { $0["kind"] as? String == "ConfigMap" })
        return try #require((configMap["data"] as? [String: Any])?["config.yaml"] as? String)
    }

    static func configuration(of objects: [[String: Any]]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(data: Data(try configurationText(of: objects).utf8), name: "config.yaml")
    }
}
