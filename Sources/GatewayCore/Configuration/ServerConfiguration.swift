/// Dropwizard's `server` section; only the application connector port is used.
public struct ServerConfiguration: Codable, Hashable, Sendable {
    /// One `server.applicationConnectors[]` entry.
    public struct Connector: Codable, Hashable, Sendable {
        /// `http` (Dropwizard's `https` needs a keystore; TLS is terminated elsewhere).
        public var type: String?
        public var port: Int?
        public var bindHost: String?
        public init(type: String? = "http", port: Int? = 8080, bindHost: String? = nil) {
            self.type = type
            self.port = port
            self.bindHost = bindHost
        }
    }

    public var applicationConnectors: [Connector]?
    public var adminConnectors: [Connector]?

    public init(applicationConnectors: [Connector]? = nil, adminConnectors: [Connector]? = nil) {
        self.applicationConnectors = applicationConnectors
        self.adminConnectors = adminConnectors
    }

    /// The first application connector's port, default 8080.
    public var applicationPort: Int { applicationConnectors?.first?.port ?? 8080 }
    /// The first admin connector's port, default 8081.
    public var adminPort: Int { adminConnectors?.first?.port ?? 8081 }
}
