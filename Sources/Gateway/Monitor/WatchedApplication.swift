import GatewayCore
import KubeClient

/// A `SparkApplication` as the watch decodes it: GatewayCore's model does not conform to
/// `KubeObject` (its metadata is GatewayCore's own type), so the watch carries both views of one object.
struct WatchedApplication: KubeObject {
    var metadata: KubeClient.ObjectMeta
    var application: SparkApplication

    private enum CodingKeys: String, CodingKey { case metadata }

    init(from decoder: any Decoder) throws {
        application = try SparkApplication(from: decoder)
        metadata = try decoder.container(keyedBy: CodingKeys.self).decode(KubeClient.ObjectMeta.self, forKey: .metadata)
    }

    func encode(to encoder: any Encoder) throws {
        try application.encode(to: encoder)
    }
}
