/// One entry of `sparkImages`: the image for a Spark version and application types.
public struct SparkImageConfiguration: Codable, Hashable, Sendable {
    /// The image reference.
    public var name: String
    /// Application types it serves (`Java`, `Scala`, `Python`; case-insensitive).
    public var types: [String]
    /// The Spark version (case-insensitive).
    public var version: String

    public init(name: String, types: [String], version: String) {
        self.name = name
        self.types = types
        self.version = version
    }

    enum CodingKeys: String, CodingKey { case name, types, version }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        types = try c.decodeStringList(forKey: .types) ?? []
        version = try c.decodeIfPresent(LenientString.self, forKey: .version)?.value ?? ""
    }
}
