/// A secret-valued setting in BPG's encodings (`caCertDataSOPS`, `userTokenSOPS`,
/// `dbStorageSOPS.password`).
///
/// | written as | meaning |
/// |---|---|
/// | `plaintext:<v>` | the value `<v>` |
/// | `localhost:env:<VAR>` | the gateway's environment variable `VAR` |
/// | `k8s:secret:<ns>:<name>:<key>` | a key of a Secret in the local cluster (empty `ns`: the pod's namespace) |
/// | anything else | the string itself |
///
/// ``description`` never shows a literal value. Resolve references with a ``SecretResolver``.
public enum SecretReference: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `plaintext:<value>`.
    case plaintext(String)
    /// `localhost:env:<name>`.
    case environment(String)
    /// `k8s:secret:<namespace>:<name>:<key>`; an empty namespace means the gateway's own.
    case kubernetesSecret(namespace: String, name: String, key: String)
    /// Any other string, used as it is (BPG also falls back to the raw string).
    case literal(String)

    /// Parses BPG's encoding; never fails (unrecognised forms are literals, as in BPG).
    public init(parsing text: String) {
        if text.hasPrefix("plaintext:") {
            self = .plaintext(String(text.dropFirst("plaintext:".count)))
        } else if text.hasPrefix("localhost:env:") {
            self = .environment(String(text.dropFirst("localhost:env:".count)))
        } else if text.hasPrefix("k8s:secret:") {
            let parts = text.dropFirst("k8s:secret:".count).split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty {
                self = .kubernetesSecret(namespace: String(parts[0]), name: String(parts[1]), key: String(parts[2]))
            } else {
                self = .literal(text)
            }
        } else {
            self = .literal(text)
        }
    }

    /// The string as written in the configuration file.
    public var encoded: String {
        switch self {
        case .plaintext(let value): "plaintext:\(value)"
        case .environment(let name): "localhost:env:\(name)"
        case .kubernetesSecret(let namespace, let name, let key): "k8s:secret:\(namespace):\(name):\(key)"
        case .literal(let value): value
        }
    }

    /// Redacted: literal values are never shown.
    public var description: String {
        switch self {
        case .plaintext: "plaintext:***"
        case .environment(let name): "localhost:env:\(name)"
        case .kubernetesSecret(let namespace, let name, let key): "k8s:secret:\(namespace):\(name):\(key)"
        case .literal: "***"
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(encoded)
    }
}
