import Cryptography
import Foundation
import GatewayCore

/// Queue-token checks for GatewayCore's policy: HS256 signatures over libcrypto's HMAC, tried against
/// every configured secret (rotation), with `exp`/`nbf`/`iat` honoured as BPG's java-jwt does.
struct QueueTokenVerification: QueueTokenVerifier {
    /// Allowed clock skew; 0 as in BPG (auth0 java-jwt's default).
    var leeway: TimeInterval = 0
    var now: @Sendable () -> Date = { Date() }

    func verify(token: String, secrets: [String]) throws -> QueueTokenClaims {
        let claims: JWTClaims
        do {
            claims = try JWT.Verifier(secrets: secrets, leeway: leeway).verify(token, now: now())
        } catch {
            throw QueueTokenRejection(reason: error.message)
        }
        let allowedQueues: [String]? =
            switch claims["allowedQueues"] {
            case nil: nil
            case .some(let value): value.arrayValue?.compactMap(\.stringValue) ?? value.stringValue.map { [$0] } ?? []
            }
        return QueueTokenClaims(issuer: claims.issuer, allowedQueues: allowedQueues)
    }
}
