import Cryptography
import Foundation
import JSON
import GatewayCore
import Persistence
import Testing

@testable import Gateway

/// Queue tokens on a secure queue, in process (docs/bpg-compatibility.md, "Authentication and queue tokens"):
/// BPG's statuses and messages for each way a token can be wrong, secret rotation, and the token masked in
/// the stored request.
@Suite struct QueueTokenTests {
    static let secrets = ["first-secret-for-queue-tokens", "second-secret-after-rotation"]
    static let contact = "Please provide a valid queue token, or contact service support."

    /// The walkthrough configuration plus a secure queue `vault` served by both clusters.
    static func configure(_ configuration: inout GatewayConfiguration) {
        var vault = QueueConfiguration(name: "vault")
        vault.secure = true
        configuration.queues?.append(vault)
        for index in configuration.sparkClusters.indices { configuration.sparkClusters[index].queues.append("vault") }
        configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: secrets)
    }

    static func token(_ claims: [String: JSONValue], secret: String = secrets[0]) -> String {
        JWT.signHS256(claims: claims, secret: Array(secret.utf8))
    }

    static func request(queue: String = "vault", token: String?) -> String {
        ErrorTableTests.sparkPi { request in
            request["queue"] = queue
            if let token { request["queueToken"] = token }
        }
    }

    static let now = Int64(Date().timeIntervalSince1970)
    static let expiry = now - 3600
    static let notBefore = now + 3600
    static func iso(_ seconds: Int64) -> String { Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601) }

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var token: String?
        var status: Int
        /// The exact message; nil for success.
        var message: String?
    }

    static let cases: [Case] = [
        Case(
            testDescription: "valid", token: token(["iss": "admin", "sub": "queueToken", "allowedQueues": ["vault"]]),
            status: 200),
        Case(
            testDescription: "issuer airflow, any case",
            token: token(["iss": "AirFlow", "allowedQueues": ["dev", "vault"]]), status: 200),
        Case(
            testDescription: "rotated secret", token: token(["iss": "admin", "allowedQueues": ["vault"]], secret: secrets[1]),
            status: 200),
        Case(
            testDescription: "missing token", token: nil, status: 400, message: "Please specify queueToken for queue vault"),
        Case(testDescription: "empty token", token: "", status: 400, message: "Please specify queueToken for queue vault"),
        Case(
            testDescription: "expired", token: token(["iss": "admin", "allowedQueues": ["vault"], "exp": .int(expiry)]),
            status: 400, message: "Queue token is not valid: the token expired at \(iso(expiry)). \(contact)"),
        Case(
            testDescription: "not yet valid",
            token: token(["iss": "admin", "allowedQueues": ["vault"], "nbf": .int(notBefore)]),
            status: 400, message: "Queue token is not valid: the token is not valid before \(iso(notBefore)). \(contact)"),
        Case(
            testDescription: "wrong secret",
            token: token(["iss": "admin", "allowedQueues": ["vault"]], secret: "not-a-configured-secret"),
            status: 400, message: "Queue token is not valid: the token signature does not match. \(contact)"),
        Case(
            testDescription: "not a JWT", token: "definitely-not-a-jwt", status: 400,
            message: "Queue token is not valid: the token must have three dot-separated parts, found 1. \(contact)"),
        Case(
            testDescription: "wrong issuer", token: token(["iss": "mallory", "allowedQueues": ["vault"]]), status: 400,
            message: "Queue token is not valid due to unsupported issuer: mallory. \(contact)"),
        Case(
            testDescription: "missing issuer", token: token(["allowedQueues": ["vault"]]), status: 400,
            message: "Queue token is not valid: no issuer. \(contact)"),
        Case(
            testDescription: "wrong queue", token: token(["iss": "admin", "allowedQueues": ["dev"]]), status: 400,
            message: "Queue token does not allow queue vault. \(contact)"),
        Case(
            testDescription: "queue matched case-sensitively", token: token(["iss": "admin", "allowedQueues": ["Vault"]]),
            status: 400, message: "Queue token does not allow queue vault. \(contact)"),
        Case(
            testDescription: "no allowedQueues claim", token: token(["iss": "admin"]), status: 400,
            message: "Queue token is not valid due to no claim: allowedQueues. \(contact)"),
        Case(
            testDescription: "empty allowedQueues", token: token(["iss": "admin", "allowedQueues": []]), status: 400,
            message: "Queue token has no allowed queues. \(contact)"),
    ]

    @Test(arguments: cases)
    func secureQueue(_ check: Case) async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: Self.configure) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: Self.request(token: check.token))
            #expect(reply.status == check.status, "\(reply.text)")
            let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records
            if let message = check.message {
                try expectErrorBody(reply, status: check.status, message: .exact(message))
                #expect(records.isEmpty)
            } else {
                let id = try #require(try reply.json()["submissionId"] as? String)
                #expect(records.map(\.submissionId) == [id])
                #expect(records.first?.resolvedQueue == "vault")
            }
        }
    }

    /// A token is only checked on a secure queue; an open queue ignores it.
    @Test func openQueueIgnoresTokens() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: Self.configure) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: Self.request(queue: "dev", token: "garbage"))
            #expect(reply.status == 200, "\(reply.text)")
        }
    }

    /// A secure queue with no `queueTokenSOPS` is the server's configuration error (BPG: 500).
    @Test func secureQueueWithoutSecretsIs500() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                Self.configure(&$0)
                $0.queueTokenSOPS = nil
            }
        ) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: Self.request(token: "x.y.z"))
            try expectErrorBody(reply, status: 500, message: .exact("Server hit configuration error: no queue token configure"))
        }
    }

    /// The stored request keeps everything but the token, which is masked.
    @Test func tokenIsMaskedInTheStoredRequest() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: Self.configure) { (gateway: GatewayHarness) async throws in
            let token = Self.token(["iss": "admin", "allowedQueues": ["vault"]])
            let id = try await gateway.submit(Self.request(token: token))
            let record = try #require(try await gateway.gateway.store.submission(id: id))
            let body = try #require(record.requestBody)
            #expect(!body.contains(token))
            #expect(!body.contains(String(token.split(separator: ".")[2])))
            let stored = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(stored["queueToken"] as? String == "***")
            #expect(stored["mainClass"] as? String == "org.apache.spark.examples.SparkPi")
        }
    }
}
