import Foundation
import TestSupport
import Testing

@testable import HTTPServing

/// HTTPS with the test CA in Fixtures; the client always verifies the server.
@Suite(.timeLimit(.minutes(1)))
struct TLSTests {
    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }

    @Test func servesHTTPSVerifiedAgainstTheTestCA() async throws {
        let tls = HTTPServerConfiguration.TLS(
            certificatePath: try Self.fixture("server.pem"), privateKeyPath: try Self.fixture("server.key"))
        let caFile = try Self.fixture("test-ca.pem")
        try await withLiveServer(RoutingTests.responder, configure: { $0.tls = tls }) { _, base in
            #expect(base.hasPrefix("https://localhost:"))
            let response = try await fetch("GET", "\(base)/spark/secure", caFile: caFile)
            #expect(response.status == 200)
            #expect(response.text == "get secure")

            // Keep-alive works over TLS too.
            let connects = try await onThread {
                let client = CurlClient(caFile: caFile)
                return try (0..<3).map { _ in try client.request("GET", "\(base)/spark/k").newConnections }
            }
            #expect(connects == [1, 0, 0])

            let stream = try await fetch("GET", "\(base)/logs/x", caFile: caFile)
            #expect(stream.text == "logs [x]")

            // Without the CA the server is not trusted: verification stays on.
            await #expect(throws: CurlFailure.self) {
                _ = try await fetch("GET", "\(base)/spark/secure", caFile: "/dev/null")
            }
        }
    }

    @Test func unreadableCertificateIsAClearError() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.tls = .init(certificatePath: "/nonexistent/server.pem", privateKeyPath: "/nonexistent/server.key")
        let server = HTTPServer(configuration: configuration, responder: HTTPRouterBuilder().build())
        #expect(throws: HTTPServerError.tlsFileUnreadable("/nonexistent/server.pem", "")) { try server.start() }
    }
}
