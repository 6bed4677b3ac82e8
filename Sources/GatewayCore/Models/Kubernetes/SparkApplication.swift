/// A `sparkoperator.k8s.io/v1beta2` `SparkApplication`: the object the gateway creates, and reads back
/// with its status. Every object ``SparkApplicationTranslator`` emits validates against the operator's
/// CRD schema with no field the API server would prune.
public struct SparkApplication: Codable, Hashable, Sendable {
    /// `sparkoperator.k8s.io/v1beta2`.
    public static let apiVersion = "sparkoperator.k8s.io/v1beta2"
    /// `SparkApplication`.
    public static let kind = "SparkApplication"
    /// The plural resource name used in API paths.
    public static let resource = "sparkapplications"

    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: SparkApplicationSpec
    public var status: SparkApplicationStatus?

    public init(metadata: ObjectMeta, spec: SparkApplicationSpec, status: SparkApplicationStatus? = nil) {
        apiVersion = Self.apiVersion
        kind = Self.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion) ?? Self.apiVersion
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? Self.kind
        metadata = try c.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try c.decodeIfPresent(SparkApplicationSpec.self, forKey: .spec) ?? SparkApplicationSpec()
        status = try c.decodeIfPresent(SparkApplicationStatus.self, forKey: .status)
    }
}
