/// `dbStorageSOPS`: where submissions are recorded.
public struct DatabaseConfiguration: Codable, Hashable, Sendable {
    /// A JDBC URL (`jdbc:mysql://host:3306/bpg?...`); empty disables recording, as in BPG.
    public var connectionString: String?
    public var user: String?
    public var password: SecretReference?
    /// Schema name, `[0-9a-zA-Z$_]+`; default `bpg`.
    public var dbName: String = "bpg"

    public init() {}

    enum CodingKeys: String, CodingKey { case connectionString, user, password, dbName }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        connectionString = try c.decodeIfPresent(String.self, forKey: .connectionString)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        password = try c.decodeIfPresent(SecretReference.self, forKey: .password)
        let name = try c.decodeIfPresent(String.self, forKey: .dbName)
        dbName = name.flatMap { $0.isEmpty ? nil : $0 } ?? "bpg"
    }
}
