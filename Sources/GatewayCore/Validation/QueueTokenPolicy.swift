/// BPG's queue-token rules: which queues need a token, and which verified claims admit a queue.
public enum QueueTokenPolicy {
    private static let contact = "Please provide a valid queue token, or contact service support."
    /// Accepted issuers.
    public static let issuers = ["admin", "airflow"]

    /// True when the queue needs a token: `queues` is configured and the queue's entry, or its parent's,
    /// is `secure`. (BPG checks only the full name, so an unsecured child bypassed a secure parent.)
    public static func requiresToken(_ queue: ResolvedQueue) -> Bool {
        queue.configuration?.secure == true || queue.parentConfiguration?.secure == true
    }

    /// Checks the request's token for `queue`.
    /// - Throws: 400 for a missing or rejected token, 500 when the server has no secrets or no verifier.
    public static func check(
        queue: ResolvedQueue, token: String?, configuration: GatewayConfiguration,
        verifier: (any QueueTokenVerifier)?
    ) throws(SubmissionError) {
        guard requiresToken(queue) else { return }
        guard let token, !token.isEmpty else {
            throw .queueTokenRejected("Please specify queueToken for queue \(queue.name)")
        }
        guard let tokenConfiguration = configuration.queueTokenSOPS else {
            throw .serverMisconfigured("Server hit configuration error: no queue token configure")
        }
        guard !tokenConfiguration.secrets.isEmpty else {
            throw .serverMisconfigured("Server not configured with secrets to verify queue token")
        }
        guard let verifier else {
            throw .serverMisconfigured("Server failed to verify queue token. Please contact service support.")
        }
        let claims: QueueTokenClaims
        do {
            claims = try verifier.verify(token: token)
        } catch let rejection as QueueTokenRejection {
            throw .queueTokenRejected("Queue token is not valid: \(rejection.reason). \(contact)")
        } catch {
            throw .serverMisconfigured("Server failed to verify queue token. Please contact service support.")
        }
        try check(claims: claims, queue: queue)
    }

    /// Checks verified claims against the queue.
    public static func check(claims: QueueTokenClaims, queue: ResolvedQueue) throws(SubmissionError) {
        guard let issuer = claims.issuer, !issuer.isEmpty else {
            throw .queueTokenRejected("Queue token is not valid: no issuer. \(contact)")
        }
        guard issuers.contains(issuer.lowercased()) else {
            throw .queueTokenRejected("Queue token is not valid due to unsupported issuer: \(issuer). \(contact)")
        }
        guard let allowed = claims.allowedQueues else {
            throw .queueTokenRejected("Queue token is not valid due to no claim: allowedQueues. \(contact)")
        }
        guard !allowed.isEmpty else {
            throw .queueTokenRejected("Queue token has no allowed queues. \(contact)")
        }
        let securedByParent = queue.configuration?.secure != true && queue.parentConfiguration?.secure == true
        guard allowed.contains(queue.name) || (securedByParent && allowed.contains(queue.parent)) else {
            throw .queueTokenRejected("Queue token does not allow queue \(queue.name). \(contact)")
        }
    }
}
