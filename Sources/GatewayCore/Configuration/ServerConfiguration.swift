/// Dropwizard's `server` section: the first application connector is the API's address, the first
/// admin connector the admin port's (`/healthcheck`, `/ping`, `/metrics`).
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

    /// Dropwizard's default admin port.
    public static let defaultAdminPort = 8081

    /// Where the admin endpoints listen: the first admin connector (default port 8081, the API's bind
    /// host); nil when `adminConnectors` is an empty list, which turns the admin port off.
    public static func adminEndpoint(_ server: ServerConfiguration?) -> (host: String?, port: Int)? {
        guard let connectors = server?.adminConnectors else { return (nil, defaultAdminPort) }
        guard let first = connectors.first else { return nil }
        return (first.bindHost, first.port ?? defaultAdminPort)
    }
}
