/// The subset of Kubernetes `metav1.ObjectMeta` the gateway writes and reads back.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String?
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    /// RFC 3339, set by the API server.
    public var creationTimestamp: String?
    public var resourceVersion: String?
    public var uid: String?

    public init(
        name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil, creationTimestamp: String? = nil, resourceVersion: String? = nil,
        uid: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.creationTimestamp = creationTimestamp
        self.resourceVersion = resourceVersion
        self.uid = uid
    }
}
