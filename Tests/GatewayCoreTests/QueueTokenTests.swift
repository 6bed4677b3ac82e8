import GatewayCore
import Testing

/// BPG's `validateQueueToken` and `QueueTokenVerifierTest` cases (docs/bpg-compatibility.md, "Upstream
/// test cases we reproduce"; claims half, HMAC is the Cryptography module's), with a verifier standing
/// in for the HMAC check.
struct QueueTokenTests {
    /// Accepts tokens of the form `<secret>|<issuer>|<queues,...>`; `-` means "claim absent".
    struct FakeVerifier: QueueTokenVerifier {
        var secrets = ["secret1"]
        func verify(token: String) throws -> QueueTokenClaims {
            let parts = token.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, secrets.contains(parts[0]) else {
                throw QueueTokenRejection(reason: "The Token's Signature resulted invalid")
            }
            let queues: [String]? = parts[2] == "-" ? nil : parts[2].split(separator: ",").map(String.init)
            return QueueTokenClaims(issuer: parts[1] == "-" ? nil : parts[1], allowedQueues: queues)
        }
    }

    struct Broken: QueueTokenVerifier {
        struct Boom: Error {}
        func verify(token: String) throws -> QueueTokenClaims { throw Boom() }
    }

    func config(secure: Bool = true, secrets: [String]? = ["secret1"]) -> GatewayConfiguration {
        var queue = QueueConfiguration(name: "queue1")
        queue.secure = secure
        var config = GatewayConfiguration()
        config.queues = [queue, QueueConfiguration(name: "open")]
        config.queueTokenSOPS = secrets.map { QueueTokenConfiguration(secrets: $0) }
        return config
    }

    func check(_ token: String?, queue name: String = "queue1", config: GatewayConfiguration? = nil,
               verifier: (any QueueTokenVerifier)? = FakeVerifier()) throws(SubmissionError) {
        let config = config ?? self.config()
        var random = SeededRandomNumberGenerator(seed: 1)
        let queue = QueueResolver.resolve(requestedQueue: name, user: "u", configuration: config, random: &random)
        try QueueTokenPolicy.check(queue: queue, token: token, configuration: config, verifier: verifier)
    }

    @Test func passesWithNoQueuesConfig() throws {
        try check(nil, config: GatewayConfiguration())
    }

    @Test func passesWithEmptyQueuesAndNoToken() throws {
        var config = GatewayConfiguration()
        config.queues = []
        try check(nil, config: config)
        try check("", config: config)
    }

    @Test func passesWhenQueueIsNotSecure() throws {
        try check(nil, config: config(secure: false))
    }

    @Test(arguments: [nil, ""] as [String?])
    func secureQueueNeedsAToken(token: String?) {
        #expect(throws: SubmissionError.queueTokenRejected("Please specify queueToken for queue queue1")) { try check(token) }
    }

    @Test(arguments: [
        "secret1|admin|queue1", "secret1|airflow|queue1", "secret1|ADMIN|qa,qb,queue1",
    ])
    func validTokens(token: String) throws {
        try check(token)
    }

    @Test func rotatedSecretsAnyOneVerifies() throws {
        try check(
            "secret1|admin|queue1", config: config(secrets: ["invalidSecret", "secret1"]),
            verifier: FakeVerifier(secrets: ["invalidSecret", "secret1"]))
    }

    @Test(arguments: [
        ("other|admin|queue1", 400, "Queue token is not valid: The Token's Signature resulted invalid."),
        ("secret1|invalidIssuer|queue1", 400, "Queue token is not valid due to unsupported issuer: invalidIssuer."),
        ("secret1|-|queue1", 400, "Queue token is not valid: no issuer."),
        ("secret1|admin|-", 400, "Queue token is not valid due to no claim: allowedQueues."),
        ("secret1|admin|", 400, "Queue token has no allowed queues."),
        ("secret1|admin|queue2", 400, "Queue token does not allow queue queue1."),
        ("secret1|admin|QUEUE1", 400, "Queue token does not allow queue queue1."),
    ])
    func rejectedTokens(token: String, status: Int, prefix: String) {
        do {
            try check(token)
            Issue.record("expected a rejection")
        } catch {
            #expect(error.status == status)
            #expect(error.message.hasPrefix(prefix), "\(error.message)")
        }
    }

    @Test func serverMisconfigurationsAre500() {
        #expect(throws: SubmissionError.serverMisconfigured("Server hit configuration error: no queue token configure")) {
            try check("secret1|admin|queue1", config: config(secrets: nil))
        }
        #expect(throws: SubmissionError.serverMisconfigured("Server not configured with secrets to verify queue token")) {
            try check("secret1|admin|queue1", config: config(secrets: []))
        }
        #expect(throws: SubmissionError.serverMisconfigured("Server failed to verify queue token. Please contact service support.")) {
            try check("secret1|admin|queue1", verifier: Broken())
        }
    }

    @Test func unsecuredChildOfSecureParentNeedsATokenBPGBugFixed() throws {
        var config = config()
        config.queues?.append(QueueConfiguration(name: "queue1.child"))
        #expect(throws: SubmissionError.queueTokenRejected("Please specify queueToken for queue queue1.child")) {
            try check(nil, queue: "queue1.child", config: config)
        }
        try check("secret1|admin|queue1", queue: "queue1.child", config: config)
    }
}
