import Foundation

/// Any Kubernetes object, kept as raw JSON with its metadata decoded: for watches and lists of
/// resources the caller does not model.
public struct UntypedObject: KubeObject, Hashable {
    public var metadata: ObjectMeta
    /// The whole object, metadata included.
    public var json: JSONValue

    public init(json: JSONValue) throws {
        self.json = json
        let data = try JSONEncoder().encode(json["metadata"] ?? .object([:]))
        self.metadata = try JSONDecoder().decode(ObjectMeta.self, from: data)
    }

    private enum CodingKeys: String, CodingKey { case metadata }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        json = try JSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
