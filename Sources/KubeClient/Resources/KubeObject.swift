/// An object the API server stores: anything with `metadata`. Watches and informers need it to track
/// `resourceVersion` and names; conform your own `Codable` types (a `SparkApplication`, say) to it.
public protocol KubeObject: Codable, Sendable {
    var metadata: ObjectMeta { get }
}
