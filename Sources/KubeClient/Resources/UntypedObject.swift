import Foundation
import JSON

/// Any Kubernetes object, kept as raw JSON with its metadata decoded: for watches and lists of
/// resources the caller does not model.
public struct UntypedObject: KubeObject, Hashable {
    public var metadata: ObjectMeta
    /// The whole object, metadata included.
    public var json: JSONValue

    public init(json: JSONValue) throws {
        self.json = json
        self.metadata = try JSONValueDecoder().decode(ObjectMeta.self, from: json["metadata"] ?? .object(JSONObject()))
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
