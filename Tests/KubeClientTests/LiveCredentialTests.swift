import Foundation
import KubeClient
import KubeSimulator
import Testing

/// Credential sources against the simulator (bearer token `simulator-token`): kubeconfig, exec
/// plugins (cache until expiry, re-run on 401), and the in-cluster service account (token rotation).
struct LiveCredentialTests {
    /// A private temporary folder, removed by `remove()`.
    struct TemporaryDirectory {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }
        func read(_ name: String) -> String? { try? String(contentsOfFile: path + "/" + name, encoding: .utf8) }
        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func aKubeconfigWrittenForTheSimulatorWorks() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("config", live.cluster.kubeconfig(namespace: "spark"))
        let configuration = try KubeClientConfiguration.fromKubeconfig(
            kubeconfigVariable: "/nonexistent:" + directory.path + "/config", homeDirectory: nil)
        #expect(configuration.defaultNamespace == "spark")
        let client = try KubernetesClient(configuration: configuration)
        #expect(try await client.probeHealth().endpoint == "/readyz")
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    /// A kubeconfig whose user runs the test plugin (copied next to it, named relatively).
    func execKubeconfig(_ live: LiveCluster, _ directory: TemporaryDirectory, expiry: String) throws -> KubeClientConfiguration {
        let script = try String(contentsOfFile: try Fixtures.path("exec/get-token.sh"), encoding: .utf8)
        try directory.write("get-token.sh", script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path + "/get-token.sh")
        let ca = Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8).base64EncodedString()
        try directory.write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: sim
              cluster:
                server: \(live.cluster.baseURL)
                certificate-authority-data: \(ca)
            users:
            - name: plugin
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./get-token.sh
                  env:
                  - name: TOKEN_EXPIRY
                    value: "\(expiry)"
            contexts:
            - name: sim
              context: {cluster: sim, user: plugin}
            current-context: sim
            """)
        return try KubeClientConfiguration.fromKubeconfig(kubeconfigVariable: directory.path + "/config", homeDirectory: nil)
    }

    @Test func execOutputIsCachedUntilItsExpiry() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("token", "simulator-token")
        let client = try KubernetesClient(configuration: try execKubeconfig(live, directory, expiry: "2099-01-01T00:00:00Z"))
        for _ in 0..<5 { _ = try await client.probeHealth() }
        #expect(directory.read("count")?.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    @Test func expiredExecOutputIsRefreshed() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("token", "simulator-token")
        let expiry = KubeTime.format(Date().addingTimeInterval(-60))
        let client = try KubernetesClient(configuration: try execKubeconfig(live, directory, expiry: expiry))
        for _ in 0..<3 { _ = try await client.probeHealth() }
        #expect(directory.read("count")?.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    @Test func aRejectedExecTokenIsRefreshedOnceOn401() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("token.1", "stale-token")
        try directory.write("token", "simulator-token")
        let client = try KubernetesClient(configuration: try execKubeconfig(live, directory, expiry: "2099-01-01T00:00:00Z"))
        // Run 1 prints a token the server rejects; the 401 re-runs the plugin once and the call succeeds.
        #expect(try await client.probeHealth().endpoint == "/readyz")
        #expect(directory.read("count")?.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        _ = try await client.probeHealth()
        #expect(directory.read("count")?.trimmingCharacters(in: .whitespacesAndNewlines) == "2", "cached afterwards")
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    @Test func execPluginFailuresAreCredentialErrors() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("token", "simulator-token")
        try directory.write("fail", "")
        let client = try KubernetesClient(configuration: try execKubeconfig(live, directory, expiry: "2099-01-01T00:00:00Z"))
        do {
            _ = try await client.probeHealth()
            Issue.record("a failing plugin produced credentials")
        } catch {
            #expect(error.code == .credentials)
            #expect(error.message.contains("exited with status 3"))
            #expect(error.message.contains("no credentials for profile spark"))
        }
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    @Test func inClusterTokensAreReReadWhenTheyRotate() async throws {
        let live = try await LiveCluster.start()
        let directory = try TemporaryDirectory()
        try directory.write("token", "simulator-token\n")
        try directory.write("ca.crt", SimulatedCluster.developmentCertificateAuthorityPEM)
        try directory.write("namespace", "bpg\n")
        let files = InClusterConfiguration(directory: directory.path, tokenRefreshInterval: .milliseconds(200))
        let configuration = try KubeClientConfiguration.inCluster(
            serviceHost: "127.0.0.1", servicePort: String(live.cluster.port), files: files)
        #expect(configuration.defaultNamespace == "bpg")
        let client = try KubernetesClient(configuration: configuration)
        _ = try await client.probeHealth()

        // The kubelet rotates the projected token (here: to one the server does not accept).
        try directory.write("token", "rotated-but-unknown")
        try await Task.sleep(for: .milliseconds(300))
        do {
            _ = try await client.probeHealth()
            Issue.record("the old token was still used after the refresh interval")
        } catch {
            #expect(error.code == .unauthorized)
        }
        // A valid token again: the 401 makes the client re-read the file at once.
        try directory.write("token", "simulator-token")
        _ = try await client.probeHealth()
        await client.shutdown()
        directory.remove()
        await live.stop()
    }

    @Test func inClusterNeedsTheEnvironmentAndFiles() throws {
        #expect(throws: KubeError.self) { _ = try KubeClientConfiguration.inCluster(serviceHost: nil, servicePort: "443") }
        #expect(throws: KubeError.self) {
            _ = try KubeClientConfiguration.inCluster(
                serviceHost: "10.0.0.1", servicePort: "443", files: InClusterConfiguration(directory: "/nonexistent"))
        }
        #expect(throws: KubeError.self) { _ = try KubeClientConfiguration.inCluster(serviceHost: "10.0.0.1", servicePort: "http") }
    }
}
