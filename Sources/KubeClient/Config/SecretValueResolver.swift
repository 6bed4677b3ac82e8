import Foundation

/// Resolves BPG's secret-valued configuration strings (`ConfigValue`):
///
/// - `plaintext:<v>` → `<v>`;
/// - `localhost:env:<VAR>` → the variable's value from `environment` (passed in: the environment is
///   read only at the executable's edge);
/// - `k8s:secret:<ns>:<name>:<key>` → the Secret's value in the *local* cluster, read with
///   `localCluster` (the service-account client); an empty `<ns>` means `localNamespace`; 3 attempts, 1 s apart;
/// - anything else → unchanged.
///
/// Unlike BPG, a recognised encoding that cannot be resolved is an error naming the field (BPG
/// silently used the encoded string itself as the token).
public struct SecretValueResolver: Sendable {
    public var environment: [String: String]
    public var localCluster: KubernetesClient?
    public var localNamespace: String?
    /// Attempts for `k8s:secret:` reads, and the pause between them.
    public var attempts: Int
    public var retryDelay: Duration

    public init(
        environment: [String: String], localCluster: KubernetesClient? = nil, localNamespace: String? = nil,
        attempts: Int = 3, retryDelay: Duration = .seconds(1)
    ) {
        self.environment = environment
        self.localCluster = localCluster
        self.localNamespace = localNamespace
        self.attempts = max(1, attempts)
        self.retryDelay = retryDelay
    }

    /// Resolves `value` of configuration field `field` (named in errors; the value never is).
    public func resolve(_ value: String, field: String, clusterID: String) async throws(KubeError) -> String {
        func failure(_ message: String) -> KubeError {
            KubeError(code: .configuration, clusterID: clusterID, message: "\(field): \(message)")
        }
        if value.hasPrefix("plaintext:") {
            return String(value.dropFirst("plaintext:".count))
        }
        if value.hasPrefix("localhost:env:") {
            let name = String(value.dropFirst("localhost:env:".count))
            guard let resolved = environment[name] else {
                throw failure("environment variable \(name) is not set")
            }
            return resolved
        }
        if value.hasPrefix("k8s:secret:") {
            let parts = value.dropFirst("k8s:secret:".count).split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty else {
                throw failure("k8s:secret: must be k8s:secret:<namespace>:<name>:<key>")
            }
            guard let localCluster else {
                throw failure("k8s:secret: needs the in-cluster service account, which is not configured")
            }
            let namespace = parts[0].isEmpty ? localNamespace : String(parts[0])
            guard let namespace, !namespace.isEmpty else {
                throw failure("k8s:secret: no namespace given and the pod's namespace is unknown")
            }
            let name = String(parts[1])
            let key = String(parts[2])
            var lastError: KubeError?
            for attempt in 1...attempts {
                let secret: Secret
                do {
                    secret = try await localCluster.secret(named: name, namespace: namespace)
                } catch {
                    lastError = error
                    if error.code == .configuration || error.code == .cancelled { break }
                    if attempt < attempts { try? await Task.sleep(for: retryDelay) }
                    continue
                }
                guard let data = secret.data?[key] else {
                    throw failure("secret \(namespace)/\(name) has no key '\(key)'")
                }
                return String(decoding: data, as: UTF8.self)
            }
            throw failure("cannot read secret \(namespace)/\(name): \(lastError.map { "\($0.code)" } ?? "unknown error")")
        }
        return value
    }
}
