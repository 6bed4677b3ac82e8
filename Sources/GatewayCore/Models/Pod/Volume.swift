/// A pod volume: a host path or a config map, the two kinds BPG supports.
public struct Volume: Codable, Hashable, Sendable {
    /// A directory or file on the node.
    public struct HostPath: Codable, Hashable, Sendable {
        public var path: String
        public var type: String?
        public init(path: String, type: String? = nil) {
            self.path = path
            self.type = type
        }
    }

    /// A config map projected as files.
    public struct ConfigMap: Codable, Hashable, Sendable {
        public var name: String?
        public init(name: String?) { self.name = name }
    }

    public var name: String
    public var hostPath: HostPath?
    public var configMap: ConfigMap?

    public init(name: String, hostPath: HostPath? = nil, configMap: ConfigMap? = nil) {
        self.name = name
        self.hostPath = hostPath
        self.configMap = configMap
    }
}
