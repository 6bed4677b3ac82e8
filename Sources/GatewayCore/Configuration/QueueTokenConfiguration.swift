/// `queueTokenSOPS`: HMAC secrets for queue tokens. Several may be listed to rotate secrets: a token
/// signed with any of them verifies.
public struct QueueTokenConfiguration: Codable, Hashable, Sendable {
    public var secrets: [String] = []
    public init(secrets: [String] = []) { self.secrets = secrets }

    enum CodingKeys: String, CodingKey { case secrets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        secrets = try c.decodeStringList(forKey: .secrets) ?? []
    }
}
