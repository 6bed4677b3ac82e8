/// `metav1.ObjectMeta`, the fields a gateway reads or sets. Unknown fields are ignored when decoding.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    /// Opaque version of the object; send it back on update for optimistic concurrency.
    public var resourceVersion: String?
    public var generation: Int64?
    /// RFC 3339, as the server sent it.
    public var creationTimestamp: String?
    public var deletionTimestamp: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var finalizers: [String]?
    public var ownerReferences: [OwnerReference]?

    /// A reference from a dependent to its owner (garbage collection).
    public struct OwnerReference: Codable, Sendable, Hashable {
        public var apiVersion: String
        public var kind: String
        public var name: String
        public var uid: String
        public var controller: Bool?
        public var blockOwnerDeletion: Bool?

        public init(
            apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil,
            blockOwnerDeletion: Bool? = nil
        ) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.uid = uid
            self.controller = controller
            self.blockOwnerDeletion = blockOwnerDeletion
        }
    }

    public init(
        name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil, resourceVersion: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.resourceVersion = resourceVersion
    }
}
