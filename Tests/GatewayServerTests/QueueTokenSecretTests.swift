import Cryptography
import Foundation
import GatewayCore
import KubeClient
import Logging
import Persistence
import Synchronization
import TestSupport
import Testing

@testable import Gateway

/// `queueTokenSOPS.secrets` are secret-valued like `dbStorageSOPS.password`: references are resolved
/// at startup, never used as the HMAC key as written.
@Suite struct QueueTokenSecretTests {
    static let secret = "q7-token-secret-9f3ac1"

    static func token(secret: String) -> String {
        JWT.signHS256(claims: ["iss": "admin", "allowedQueues": ["vault"]], secret: Array(secret.utf8))
    }

    /// Keeps every log line, to check that no secret is ever written.
    final class CapturingLogHandler: LogHandler {
        private let records = Mutex<[String]>([])
        func write(_ record: LogRecord) {
            let line = "\(record.label) \(record.message) \(record.metadata)"
            records.withLock { $0.append(line) }
        }
        var text: String { records.withLock { $0.joined(separator: "\n") } }
    }

    @Test func referencesAreResolvedBeforeUse() async throws {
        let configuration = QueueTokenConfiguration(secrets: [
            "plaintext:\(Self.secret)-a", "localhost:env:BPG_TEST_QUEUE_SECRET", "\(Self.secret)-c",
        ])
        let verifier = try await QueueTokenVerification.resolving(
            configuration, resolver: SecretValueResolver(environment: ["BPG_TEST_QUEUE_SECRET": "\(Self.secret)-b"]))
        for suffix in ["a", "b", "c"] {
            let claims = try verifier.verify(token: Self.token(secret: "\(Self.secret)-\(suffix)"))
            #expect(claims.allowedQueues == ["vault"])
        }
        // The references themselves are not keys.
        for written in configuration.secrets.prefix(2) {
            #expect(throws: QueueTokenRejection.self) { try verifier.verify(token: Self.token(secret: written)) }
        }
        // Neither the resolved verifier nor the configuration shows a value.
        #expect(!"\(verifier)".contains(Self.secret))
        #expect(!String(reflecting: verifier).contains(Self.secret))
        #expect(!"\(configuration)".contains(Self.secret))
    }

    /// Through the running gateway: `plaintext:S` verifies tokens signed with `S`, not with `plaintext:S`.
    @Test func plaintextSecretThroughTheGateway() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                QueueTokenTests.configure(&$0)
                $0.queueTokenSOPS = QueueTokenConfiguration(secrets: ["plaintext:\(Self.secret)"])
            }
        ) { gateway in
            let good = try await gateway.post("/spark", json: QueueTokenTests.request(token: Self.token(secret: Self.secret)))
            #expect(good.status == 200, "\(good.text)")
            let literal = try await gateway.post(
                "/spark", json: QueueTokenTests.request(token: Self.token(secret: "plaintext:\(Self.secret)")))
            #expect(literal.status == 400, "\(literal.text)")
        }
    }

    /// Through the running gateway: `localhost:env:VAR` is the value of `VAR` in the environment the
    /// gateway was given.
    @Test func environmentSecretThroughTheGateway() async throws {
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: .uniform(.milliseconds(50)), logger: .disabled)
        var configuration = dev.configuration.configuration
        configuration.gateway.health.enabled = false
        QueueTokenTests.configure(&configuration)
        configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: ["localhost:env:BPG_TEST_QUEUE_SECRET"])
        var options = GatewayApplication.Options(configuration: configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.store = InMemorySubmissionStore()
        options.environment = ["BPG_TEST_QUEUE_SECRET": Self.secret]
        options.monitor.enabled = false
        let application: GatewayApplication
        do {
            application = try await GatewayApplication.start(options)
        } catch {
            await dev.shutdown()
            throw error
        }
        func submit(signedWith secret: String) async throws -> Int {
            let body = Data(QueueTokenTests.request(token: Self.token(secret: secret)).utf8)
            return try await fetch(
                "POST", "http://127.0.0.1:\(application.port)\(configuration.applicationContextPath)/spark",
                headers: ["Content-Type: application/json", "User-Account: alice"], body: body
            ).status
        }
        let good = try await submit(signedWith: Self.secret)
        let literal = try await submit(signedWith: "localhost:env:BPG_TEST_QUEUE_SECRET")
        await application.shutdown()
        await dev.shutdown()
        #expect(good == 200)
        #expect(literal == 400)
    }

    /// A reference that cannot be resolved stops startup with the key path; no secret in the error or logs.
    @Test func unresolvableSecretIsAStartupError() async throws {
        var configuration = GatewayConfiguration()
        configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: [
            "plaintext:\(Self.secret)", "localhost:env:BPG_TEST_UNSET_QUEUE_SECRET", "plaintext:",
        ])
        let logs = CapturingLogHandler()
        var options = GatewayApplication.Options(configuration: configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.store = InMemorySubmissionStore()
        options.environment = ["BPG_OTHER": Self.secret]
        options.monitor.enabled = false
        options.logger = Logger(label: "test", level: .trace, handler: logs)
        do {
            let application = try await GatewayApplication.start(options)
            await application.shutdown()
            Issue.record("started with an unresolvable queue-token secret")
        } catch {
            let text = "\(error)"
            #expect(text.contains("queueTokenSOPS.secrets[1]: environment variable BPG_TEST_UNSET_QUEUE_SECRET is not set"), "\(text)")
            #expect(text.contains("queueTokenSOPS.secrets[2]: resolves to an empty secret"), "\(text)")
            #expect(!text.contains("secrets[0]"))
            #expect(!text.contains(Self.secret))
        }
        #expect(!logs.text.contains(Self.secret))
    }
}
