import Foundation
import KubeClient
import Testing

/// Kubeconfig parsing and merging from fixture files (no server needed).
struct KubeconfigTests {
    static func directory(_ name: String) throws -> String { try Fixtures.path("kubeconfig/\(name)") }

    @Test func firstFileWinsPerNameAndSetsTheCurrentContext() throws {
        let first = try Fixtures.path("kubeconfig/first/config")
        let second = try Fixtures.path("kubeconfig/second/config")
        let merged = try Kubeconfig.load(paths: Kubeconfig.paths(kubeconfigVariable: "\(first):\(second)", homeDirectory: nil))
        #expect(merged.currentContext == "first-context")
        #expect(merged.clusters["shared"]?.server == "https://first.example:6443")
        #expect(merged.users["shared-user"]?.tokenFile == (try Self.directory("first")) + "/token.txt")
        #expect(merged.contexts["shared-context"]?.user == "shared-user")
        #expect(merged.contexts["shared-context"]?.cluster == "shared")
        #expect(merged.clusters["only-second"] != nil && merged.clusters["only-first"] != nil)

        let reversed = try Kubeconfig.load(paths: [second, first])
        #expect(reversed.currentContext == "second-context")
        #expect(reversed.clusters["shared"]?.server == "https://second.example")
        #expect(reversed.users["shared-user"]?.token == "second-file-token")
    }

    @Test func relativePathsResolveAgainstTheirOwnFile() throws {
        let first = try Fixtures.path("kubeconfig/first/config")
        let second = try Fixtures.path("kubeconfig/second/config")
        let merged = try Kubeconfig.load(paths: [first, second])
        let firstDirectory = try Self.directory("first")
        let secondDirectory = try Self.directory("second")

        let configuration = try merged.configuration()
        #expect(configuration.clusterID == "first-context")
        #expect(configuration.server == "https://first.example:6443")
        #expect(configuration.tls.certificateAuthority == .file(firstDirectory + "/ca.pem"))
        #expect(configuration.defaultNamespace == "spark-first")
        guard case .tokenFile(let path, _) = configuration.authentication else {
            Issue.record("expected a token file, got \(configuration.authentication)")
            return
        }
        #expect(path == firstDirectory + "/token.txt")

        let certificate = try merged.configuration(context: "second-context")
        #expect(certificate.tls.clientCertificate == .file(secondDirectory + "/certs/client.pem"))
        #expect(certificate.tls.clientKey == .file(secondDirectory + "/certs/client-key.pem"))
        #expect(certificate.tls.serverName == "kube.test")
        #expect(certificate.proxy == "http://proxy.example:3128")
        #expect(certificate.tls.certificateAuthority == .pem(try Fixtures.data("tls/ca.pem")))

        let exec = try merged.configuration(context: "exec-context")
        guard case .exec(let plugin) = exec.authentication else {
            Issue.record("expected an exec plugin")
            return
        }
        #expect(plugin.command == secondDirectory + "/bin/get-token")
        #expect(plugin.arguments == ["--cluster", "only-second"])
        #expect(plugin.environment == ["AWS_PROFILE": "spark"])
        #expect(plugin.apiVersion == "client.authentication.k8s.io/v1beta1")
    }

    @Test func secretsStayOutOfDescriptions() throws {
        let merged = try Kubeconfig.load(paths: [try Fixtures.path("kubeconfig/second/config")])
        let basic = try merged.configuration(context: "basic-context")
        #expect(!basic.description.contains("hunter2"))
        let shared = try merged.configuration(context: "shared-context")
        #expect(!shared.description.contains("second-file-token"))
        #expect(!"\(try merged.configuration(context: "basic-context"))".contains("hunter2"))
    }

    @Test func missingFilesInTheListAreSkippedButNoneIsAnError() throws {
        let first = try Fixtures.path("kubeconfig/first/config")
        let merged = try Kubeconfig.load(paths: ["/nonexistent/config", first])
        #expect(merged.currentContext == "first-context")
        #expect(throws: KubeError.self) { _ = try Kubeconfig.load(paths: ["/nonexistent/a", "/nonexistent/b"]) }
    }

    @Test func kubeconfigVariableFallsBackToTheHomeConfig() {
        #expect(Kubeconfig.paths(kubeconfigVariable: nil, homeDirectory: "/home/u") == ["/home/u/.kube/config"])
        #expect(Kubeconfig.paths(kubeconfigVariable: "", homeDirectory: "/home/u") == ["/home/u/.kube/config"])
        #expect(Kubeconfig.paths(kubeconfigVariable: "/a::/b:", homeDirectory: "/home/u") == ["/a", "/b"])
    }

    @Test(arguments: [
        ("dangling-context", "cluster 'nowhere'"),
        ("no-such-context", "context 'no-such-context'"),
    ])
    func brokenReferencesAreNamed(context: String, fragment: String) throws {
        let merged = try Kubeconfig.load(paths: [try Fixtures.path("kubeconfig/second/config")])
        #expect {
            _ = try merged.configuration(context: context)
        } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.code == .configuration && error.message.contains(fragment)
        }
    }

    @Test func yamlErrorsNameTheFileAndLine() throws {
        let path = try Fixtures.path("kubeconfig/broken.yaml")
        #expect {
            _ = try Kubeconfig.load(paths: [path])
        } throws: { error in
            let text = "\(error)"
            return text.contains("broken.yaml") && text.contains("line 5")
        }
    }

    @Test func unsupportedExecVersionsAreRejected() throws {
        let path = try Fixtures.path("kubeconfig/old-exec.yaml")
        #expect {
            _ = try Kubeconfig.load(paths: [path])
        } throws: { "\($0)".contains("v1alpha1") }
    }

    @Test func insecureWithoutCAIsAllowedOnlyExplicitlyAndNotWithACA() throws {
        let merged = try Kubeconfig.load(paths: [try Fixtures.path("kubeconfig/first/config")])
        let insecure = try merged.configuration(context: "insecure-context")
        #expect(insecure.tls.insecureSkipVerify)
        #expect(insecure.tls.certificateAuthority == nil)

        let conflicting = try Kubeconfig.parse(
            """
            clusters:
            - name: c
              cluster: {server: "https://h", insecure-skip-tls-verify: true, certificate-authority-data: "\(Data("x".utf8).base64EncodedString())"}
            contexts:
            - name: c
              context: {cluster: c}
            current-context: c
            """, path: "/tmp/inline")
        #expect(throws: KubeError.self) { _ = try conflicting.configuration() }
    }
}
