import GatewayCore
import KubeClient

/// A `SparkApplication` as the watch decodes it: GatewayCore's model does not conform to
/// `KubeObject` (its metadata is GatewayCore's own type), so the watch carries both views of one object.
public struct WatchedApplication: KubeObject {
    public var metadata: KubeClient.ObjectMeta
    public var application: SparkApplication

    private enum CodingKeys: String, CodingKey { case metadata }

    public init(metadata: KubeClient.ObjectMeta, application: SparkApplication) {
        self.metadata = metadata
        self.application = application
    }

    public init(from decoder: any Decoder) throws {
        application = try SparkApplication(from: decoder)
        metadata = try decoder.container(keyedBy: CodingKeys.self).decode(KubeClient.ObjectMeta.self, forKey: .metadata)
    }

    public func encode(to encoder: any Encoder) throws {
        try application.encode(to: encoder)
    }
}
