import Foundation
import TestSupport
import Testing

@testable import KubeClient

/// TLS rules against a real TLS server (`openssl s_server -www`, which answers any GET with a status
/// page and closes the connection), independent of the simulator.
@Suite(.serialized)
struct TransportTLSTests {
    static func server(requireClientCertificate: Bool = false) async throws -> ThrowawayServer {
        var arguments = [
            "s_server", "-accept", "127.0.0.1:{port}", "-www", "-quiet",
            "-cert", try Fixtures.path("tls/server.pem"), "-key", try Fixtures.path("tls/server-key.pem"),
        ]
        if requireClientCertificate {
            arguments += ["-Verify", "1", "-verifyCAfile", try Fixtures.path("tls/ca.pem")]
        }
        return try await ThrowawayServer("/usr/bin/openssl", arguments)
    }

    static func configuration(port: Int, host: String = "127.0.0.1", tls: KubeClientConfiguration.TLS) -> KubeClientConfiguration {
        var configuration = KubeClientConfiguration(clusterID: "tls-test", server: "https://\(host):\(port)", tls: tls)
        configuration.connectTimeout = .seconds(3)
        configuration.requestTimeout = .seconds(5)
        return configuration
    }

    /// GET / and return the HTTP status, or throw the KubeError.
    static func get(_ configuration: KubeClientConfiguration) async throws -> Int {
        let client = try KubernetesClient(configuration: configuration)
        do {
            let response = try await client.send("GET", "/")
            await client.shutdown()
            return response.status
        } catch {
            await client.shutdown()
            throw error
        }
    }

    static func code(_ body: () async throws -> Int) async -> KubeError.Code? {
        do {
            _ = try await body()
            return nil
        } catch let error as KubeError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func trustsTheConfiguredCAFromMemoryAndFromAFile() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let pem = try Fixtures.data("tls/ca.pem")
        #expect(try await Self.get(Self.configuration(port: server.port, tls: .init(certificateAuthority: .pem(pem)))) == 200)
        let file = try Fixtures.path("tls/ca.pem")
        #expect(try await Self.get(Self.configuration(port: server.port, tls: .init(certificateAuthority: .file(file)))) == 200)
    }

    @Test func rejectsAServerSignedByAnotherCA() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let other = try Fixtures.data("tls/other-ca.pem")
        let code = await Self.code { try await Self.get(Self.configuration(port: server.port, tls: .init(certificateAuthority: .pem(other)))) }
        #expect(code == .tlsFailure)
    }

    @Test func aMissingCAIsAConfigurationErrorNotADowngrade() throws {
        #expect {
            _ = try KubernetesClient(configuration: Self.configuration(port: 1, tls: .init()))
        } throws: { ($0 as? KubeError)?.code == .configuration }
    }

    @Test func insecureSkipVerifyIsHonouredOnlyWhenExplicit() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let configuration = Self.configuration(port: server.port, tls: .init(insecureSkipVerify: true))
        #expect(try await Self.get(configuration) == 200)
    }

    @Test func tlsServerNameVerifiesAgainstTheGivenName() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let pem = try Fixtures.data("tls/ca.pem")
        // kube.test does not resolve: success proves the connection went to 127.0.0.1 and the
        // certificate was checked against kube.test (one of its names).
        let good = Self.configuration(port: server.port, tls: .init(certificateAuthority: .pem(pem), serverName: "kube.test"))
        #expect(try await Self.get(good) == 200)
        let bad = Self.configuration(port: server.port, tls: .init(certificateAuthority: .pem(pem), serverName: "not-in-the-cert.test"))
        #expect(await Self.code { try await Self.get(bad) } == .tlsFailure)
    }

    @Test func presentsAClientCertificateFromMemory() async throws {
        let server = try await Self.server(requireClientCertificate: true)
        defer { server.stop() }
        let pem = try Fixtures.data("tls/ca.pem")
        let withCertificate = Self.configuration(
            port: server.port,
            tls: .init(
                certificateAuthority: .pem(pem), clientCertificate: .pem(try Fixtures.data("tls/client.pem")),
                clientKey: .pem(try Fixtures.data("tls/client-key.pem"))))
        #expect(try await Self.get(withCertificate) == 200)
        let without = Self.configuration(port: server.port, tls: .init(certificateAuthority: .pem(pem)))
        let code = await Self.code { try await Self.get(without) }
        #expect(code != nil && code.map { KubeError(code: $0, clusterID: "", message: "").isTransportFailure } == true)
    }

    @Test func aClosedPortIsConnectionRefusedAndRetriable() async throws {
        let port = try freePortBelowEphemeralRange()
        let pem = try Fixtures.data("tls/ca.pem")
        do {
            _ = try await Self.get(Self.configuration(port: port, tls: .init(certificateAuthority: .pem(pem))))
            Issue.record("expected a failure")
        } catch let error as KubeError {
            #expect(error.code == .connectionRefused)
            #expect(error.isRetriable)
            #expect(error.clusterID == "tls-test")
        }
    }

    @Test func anUnresolvableHostIsADNSFailure() async throws {
        let pem = try Fixtures.data("tls/ca.pem")
        let configuration = Self.configuration(port: 443, host: "no-such-host.invalid", tls: .init(certificateAuthority: .pem(pem)))
        #expect(await Self.code { try await Self.get(configuration) } == .dnsFailure)
    }

    @Test func aClientKeyWithoutCertificateIsRejected() throws {
        let configuration = Self.configuration(
            port: 1, tls: .init(certificateAuthority: .pem(try Fixtures.data("tls/ca.pem")), clientKey: .pem(Data("k".utf8))))
        #expect(throws: KubeError.self) { _ = try KubernetesClient(configuration: configuration) }
    }
}
