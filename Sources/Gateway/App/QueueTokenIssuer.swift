import Cryptography
import Foundation
import GatewayCore
import JSON
import KubeClient

/// Issues queue tokens for secure queues, as BPG's token generator does: an HS256 JWT with issuer
/// `admin`, a subject (default `queueToken`) and `allowedQueues` listing the queue. `bpg queue-token`
/// runs it with the secret given on the command line or the first of the configured
/// `queueTokenSOPS.secrets`.
///
/// ```swift
/// let token = QueueTokenIssuer.issue(QueueTokenIssuer.Request(queues: ["secure-q"]), secret: "s3cret")
/// ```
public enum QueueTokenIssuer {
    /// What the token grants.
    public struct Request: Sendable, Equatable {
        /// Queues the token allows (`allowedQueues`), matched exactly.
        public var queues: [String]
        /// `sub`; BPG's generator writes `queueToken` unless told otherwise.
        public var subject: String = "queueToken"
        /// `iss`: `admin` or `airflow` are accepted by the gateway (and BPG).
        public var issuer: String = "admin"
        /// When set, `exp` this long after `now`; BPG's tokens never expire.
        public var lifetime: Duration?

        public init(queues: [String], subject: String = "queueToken", issuer: String = "admin", lifetime: Duration? = nil) {
            self.queues = queues
            self.subject = subject
            self.issuer = issuer
            self.lifetime = lifetime
        }
    }

    /// Why no token was issued.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Signs a token for `request` with `secret`.
    public static func issue(_ request: Request, secret: String, now: Date = Date()) -> String {
        // No `iat`, as BPG's generator: the gateway checks it with no leeway, so a token minted on a
        // host whose clock runs ahead would be refused for a while.
        var claims: [String: JSONValue] = [
            "iss": .string(request.issuer), "sub": .string(request.subject),
            "allowedQueues": .array(request.queues.map { .string($0) }),
        ]
        if let lifetime = request.lifetime {
            claims["exp"] = .number(JSONNumber(Int64(now.timeIntervalSince1970) + lifetime.components.seconds))
        }
        return JWT.signHS256(claims: claims, secret: Array(secret.utf8))
    }

    /// Checks what would make the gateway refuse the token anyway: no queue, an issuer it does not
    /// accept, an empty secret.
    public static func validate(_ request: Request, secret: String) throws(Failure) {
        guard !request.queues.isEmpty, request.queues.allSatisfy({ !$0.isEmpty }) else {
            throw Failure(description: "at least one non-empty queue is required")
        }
        guard QueueTokenPolicy.issuers.contains(request.issuer.lowercased()) else {
            throw Failure(
                description: "issuer must be one of \(QueueTokenPolicy.issuers.joined(separator: ", ")), not '\(request.issuer)'")
        }
        guard !secret.isEmpty else { throw Failure(description: "the secret is empty") }
    }

    /// The secret the gateway signs with: `queueTokenSOPS.secrets[index]` of `configuration`, resolved
    /// like every secret-valued setting (`plaintext:`, `localhost:env:` from `environment`; a
    /// `k8s:secret:` reference needs the in-cluster service account). Index 0 is the current secret
    /// when several are listed for rotation.
    public static func configuredSecret(
        _ configuration: GatewayConfiguration, index: Int = 0, environment: [String: String]
    ) async throws(Failure) -> String {
        let secrets = configuration.queueTokenSOPS?.secrets ?? []
        guard !secrets.isEmpty else {
            throw Failure(description: "the configuration has no queueTokenSOPS.secrets")
        }
        guard secrets.indices.contains(index) else {
            throw Failure(description: "queueTokenSOPS.secrets has \(secrets.count) entries; there is no index \(index)")
        }
        var localCluster: KubernetesClient?
        var localNamespace: String?
        if secrets[index].hasPrefix("k8s:secret:"), environment["KUBERNETES_SERVICE_HOST"] != nil {
            do {
                let local = try KubeClientConfiguration.inCluster(
                    serviceHost: environment["KUBERNETES_SERVICE_HOST"], servicePort: environment["KUBERNETES_SERVICE_PORT"])
                localNamespace = local.defaultNamespace
                localCluster = try KubernetesClient(configuration: local)
            } catch {
                throw Failure(description: "cannot reach the local cluster for queueTokenSOPS.secrets[\(index)]: \(error)")
            }
        }
        defer { if let localCluster { Task { await localCluster.shutdown() } } }
        let resolver = SecretValueResolver(environment: environment, localCluster: localCluster, localNamespace: localNamespace)
        let value: String
        do {
            value = try await resolver.resolve(
                secrets[index], field: "queueTokenSOPS.secrets[\(index)]", clusterID: "queueTokenSOPS")
        } catch {
            // The resolver's message names the field and the reference, never a value.
            throw Failure(description: error.message)
        }
        guard !value.isEmpty else { throw Failure(description: "queueTokenSOPS.secrets[\(index)] resolves to an empty secret") }
        return value
    }

    /// Verifies `token` as the gateway does for a submission to `queue`: the signature against
    /// `secrets`, then BPG's issuer and `allowedQueues` rules.
    static func gatewayAccepts(_ token: String, queue: String, secrets: [String]) -> Bool {
        guard let claims = try? QueueTokenVerification(secrets: secrets).verify(token: token),
            let issuer = claims.issuer, QueueTokenPolicy.issuers.contains(issuer.lowercased())
        else { return false }
        return claims.allowedQueues?.contains(queue) == true
    }
}
