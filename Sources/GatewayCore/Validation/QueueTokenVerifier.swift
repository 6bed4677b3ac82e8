/// The claims the gateway's queue-token policy needs, from a token whose signature verified.
public struct QueueTokenClaims: Hashable, Sendable {
    /// `iss`; must be `admin` or `airflow` (case-insensitive).
    public var issuer: String?
    /// `allowedQueues`; nil when the claim is absent.
    public var allowedQueues: [String]?

    public init(issuer: String?, allowedQueues: [String]?) {
        self.issuer = issuer
        self.allowedQueues = allowedQueues
    }
}

/// Verifies a queue token's HMAC-SHA256 signature and time claims (`exp`, `nbf`, `iat`) against each
/// configured secret in turn (any one verifying is enough, for rotation) and returns its claims.
///
/// The verifier holds the secrets' *values*: `queueTokenSOPS.secrets` are secret references
/// (`plaintext:`, `localhost:env:`, `k8s:secret:`), resolved once at startup outside Core, so the
/// configuration never carries them resolved.
public protocol QueueTokenVerifier: Sendable {
    /// - Throws: ``QueueTokenRejection`` when no secret verifies the token or it has expired; any other
    ///   error is treated as a server failure.
    func verify(token: String) throws -> QueueTokenClaims
}

/// The token is not valid (bad signature, malformed, expired): a client error.
public struct QueueTokenRejection: Error, Hashable, Sendable {
    /// Why, e.g. `The Token's Signature resulted invalid`.
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
