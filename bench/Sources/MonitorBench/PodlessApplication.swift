import KubeClient

/// The fields of a SparkApplication the bench's own watch needs (KubeClient's metadata type).
struct PodlessApplication: KubeObject {
    struct Status: Codable, Sendable {
        struct State: Codable, Sendable { var state: String? }
        var applicationState: State?
    }
    var metadata: ObjectMeta
    var status: Status?
}
