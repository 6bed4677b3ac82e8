/// `queueTokenSOPS`: HMAC secrets for queue tokens. Several may be listed to rotate secrets: a token
/// signed with any of them verifies.
///
/// Each entry is secret-valued, like `dbStorageSOPS.password`: `plaintext:<v>`, `localhost:env:<VAR>`,
/// `k8s:secret:<ns>:<name>:<key>` or a literal (``SecretReference``). They are kept as written here
/// and resolved at startup; ``description`` never shows them.
public struct QueueTokenConfiguration: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The secrets as written in the configuration file.
    public var secrets: [String] = []
    public init(secrets: [String] = []) { self.secrets = secrets }

    /// The secrets as references to resolve, in order.
    public var references: [SecretReference] { secrets.map(SecretReference.init(parsing:)) }

    /// Redacted: how each secret is referenced, never a value.
    public var description: String { "QueueTokenConfiguration(secrets: \(references.map(\.description)))" }

    enum CodingKeys: String, CodingKey { case secrets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        secrets = try c.decodeStringList(forKey: .secrets) ?? []
    }
}
