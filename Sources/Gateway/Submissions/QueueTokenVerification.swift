import Cryptography
import Foundation
import GatewayCore
import KubeClient

/// Queue-token checks for GatewayCore's policy: HS256 signatures over libcrypto's HMAC, tried against
/// every configured secret (rotation), with `exp`/`nbf`/`iat` honoured as BPG's java-jwt does.
///
/// Holds the secrets' resolved values (see ``resolving(_:resolver:)``); its description shows only
/// how many there are.
struct QueueTokenVerification: QueueTokenVerifier, CustomStringConvertible, CustomDebugStringConvertible {
    /// The HMAC keys, in configured order.
    private let keys: [Data]
    /// Allowed clock skew; 0 as in BPG (auth0 java-jwt's default).
    var leeway: TimeInterval = 0
    var now: @Sendable () -> Date = { Date() }

    /// - Parameter secrets: the secrets' values (already resolved).
    init(secrets: [String]) {
        keys = secrets.map { Data($0.utf8) }
    }

    /// Resolves `queueTokenSOPS.secrets` like every other secret-valued setting: `plaintext:S` is the
    /// key `S`, `localhost:env:VAR` the variable's value, `k8s:secret:…` a Secret's key, anything else
    /// the string itself (BPG). A reference that cannot be resolved, or resolves to an empty key, is a
    /// configuration error naming `queueTokenSOPS.secrets[i]`; the value never appears in it.
    static func resolving(
        _ configuration: QueueTokenConfiguration?, resolver: SecretValueResolver
    ) async throws(ConfigurationLoader.Failure) -> QueueTokenVerification {
        var secrets: [String] = []
        var problems: [String] = []
        for (index, written) in (configuration?.secrets ?? []).enumerated() {
            let field = "queueTokenSOPS.secrets[\(index)]"
            do {
                let value = try await resolver.resolve(written, field: field, clusterID: "queueTokenSOPS")
                if value.isEmpty {
                    // An empty HMAC key would let anyone sign tokens.
                    problems.append("\(field): resolves to an empty secret")
                } else {
                    secrets.append(value)
                }
            } catch {
                // The resolver's message names the field and the reference, never a value.
                problems.append(error.message)
            }
        }
        guard problems.isEmpty else { throw ConfigurationLoader.Failure(file: "configuration", problems: problems) }
        return QueueTokenVerification(secrets: secrets)
    }

    func verify(token: String) throws -> QueueTokenClaims {
        let claims: JWTClaims
        do {
            claims = try JWT.Verifier(secrets: keys, leeway: leeway).verify(token, now: now())
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

    var description: String { "QueueTokenVerification(\(keys.count) secrets)" }
    var debugDescription: String { description }
}
