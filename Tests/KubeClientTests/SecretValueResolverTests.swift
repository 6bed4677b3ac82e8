import Foundation
import Testing

@testable import KubeClient

struct SecretValueResolverTests {
    let resolver = SecretValueResolver(environment: ["BPG_TOKEN": "from-env", "EMPTY": ""])

    @Test(arguments: [
        ("", ""), ("abc123", "abc123"), ("plaintext:abc123", "abc123"), ("plaintext:", ""),
        ("localhost:env:BPG_TOKEN", "from-env"), ("localhost:env:EMPTY", ""), ("vault:whatever", "vault:whatever"),
    ])
    func resolvesBPGEncodings(input: String, expected: String) async throws {
        #expect(try await resolver.resolve(input, field: "userTokenSOPS", clusterID: "c") == expected)
    }

    @Test func aMissingVariableIsAnErrorNamingTheFieldNotTheValue() async {
        await #expect {
            _ = try await resolver.resolve("localhost:env:NOT_SET_ANYWHERE", field: "userTokenSOPS", clusterID: "c1")
        } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.code == .configuration && error.clusterID == "c1" && error.message.contains("userTokenSOPS")
                && error.message.contains("NOT_SET_ANYWHERE")
        }
    }

    @Test(arguments: ["k8s:secret:invalid_value", "k8s:secret:ns:name", "k8s:secret:ns::key", "k8s:secret:a:b:c:d"])
    func malformedSecretReferencesAreErrors(_ value: String) async {
        await #expect(throws: KubeError.self) {
            _ = try await resolver.resolve(value, field: "caCertDataSOPS", clusterID: "c")
        }
    }

    @Test func secretReferencesNeedTheInClusterClient() async {
        await #expect {
            _ = try await resolver.resolve("k8s:secret:ns:name:key", field: "userTokenSOPS", clusterID: "c")
        } throws: { ($0 as? KubeError)?.message.contains("service account") ?? false }
    }

    @Test func settingsBecomeAVerifiedConfigurationWithoutLeakingSecrets() async throws {
        let pem = try Fixtures.text("tls/ca.pem")
        let settings = ClusterConnectionSettings(
            id: "c01", masterURL: "https://10.0.0.1:6443", caCertData: "plaintext:" + Data(pem.utf8).base64EncodedString(),
            userToken: "localhost:env:BPG_TOKEN", userName: "bpg", timeoutMillis: 5_000,
            httpProxy: "http://plain-proxy:3128", httpsProxy: "http://tls-proxy:3128", namespace: "spark")
        let configuration = try await KubeClientConfiguration(settings: settings, resolver: resolver)
        #expect(configuration.clusterID == "c01")
        #expect(configuration.tls.certificateAuthority == .pem(Data(pem.utf8)))
        guard case .bearerToken(let token) = configuration.authentication else {
            Issue.record("expected a bearer token")
            return
        }
        #expect(token == "from-env")
        #expect(configuration.proxy == "http://tls-proxy:3128", "an https master goes through httpsProxy")
        #expect(configuration.connectTimeout == .milliseconds(5_000) && configuration.requestTimeout == .milliseconds(5_000))
        #expect(configuration.defaultNamespace == "spark")
        #expect(!configuration.description.contains("from-env"))
        #expect(!settings.description.contains("BPG_TOKEN") && !settings.description.contains("LS0t"))
    }

    @Test func settingsWithoutCAOrTokenAreRejected() async throws {
        let noCA = ClusterConnectionSettings(id: "c", masterURL: "https://h", userToken: "plaintext:t")
        await #expect { _ = try await KubeClientConfiguration(settings: noCA, resolver: resolver) } throws: {
            ($0 as? KubeError)?.message.contains("caCertDataSOPS") ?? false
        }
        let garbageCA = ClusterConnectionSettings(id: "c", masterURL: "https://h", caCertData: "plaintext:bm90IGEgY2VydA==", userToken: "plaintext:t")
        await #expect { _ = try await KubeClientConfiguration(settings: garbageCA, resolver: resolver) } throws: {
            ($0 as? KubeError)?.message.contains("caCertDataSOPS") ?? false
        }
        let pem = try Fixtures.text("tls/ca.pem")
        let noToken = ClusterConnectionSettings(id: "c", masterURL: "https://h", caCertData: pem)
        await #expect { _ = try await KubeClientConfiguration(settings: noToken, resolver: resolver) } throws: {
            ($0 as? KubeError)?.message.contains("userTokenSOPS") ?? false
        }
    }
}
