import JSON

/// A `v1` Pod, reduced to what a gateway shows: where it runs, its phase and its containers' states.
public struct Pod: KubeObject, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: PodStatus?

    public struct Spec: Codable, Sendable, Hashable {
        public var nodeName: String?
        public var serviceAccountName: String?
        public var containers: [Container]?
        public init(nodeName: String? = nil, containers: [Container]? = nil) {
            self.nodeName = nodeName
            self.containers = containers
        }
    }

    public struct Container: Codable, Sendable, Hashable {
        public var name: String
        public var image: String?
        public init(name: String, image: String? = nil) {
            self.name = name
            self.image = image
        }
    }

    public struct PodStatus: Codable, Sendable, Hashable {
        /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
        public var phase: String?
        public var message: String?
        public var reason: String?
        public var hostIP: String?
        public var podIP: String?
        public var startTime: String?
        public var containerStatuses: [ContainerStatus]?
        public init(phase: String? = nil) { self.phase = phase }
    }

    public struct ContainerStatus: Codable, Sendable, Hashable {
        public var name: String
        public var ready: Bool?
        public var restartCount: Int?
        public var image: String?
        public var state: JSONValue?
        public init(name: String, ready: Bool? = nil, restartCount: Int? = nil) {
            self.name = name
            self.ready = ready
            self.restartCount = restartCount
        }
    }

    public init(metadata: ObjectMeta, spec: Spec? = nil, status: PodStatus? = nil) {
        self.apiVersion = "v1"
        self.kind = "Pod"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
