/// Pod DNS settings; the gateway sets `ndots: 1` on executors.
public struct PodDNSConfig: Codable, Hashable, Sendable {
    /// A resolver option such as `ndots`.
    public struct Option: Codable, Hashable, Sendable {
        public var name: String
        public var value: String?
        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    public var nameservers: [String]?
    public var searches: [String]?
    public var options: [Option]?

    public init(nameservers: [String]? = nil, searches: [String]? = nil, options: [Option]? = nil) {
        self.nameservers = nameservers
        self.searches = searches
        self.options = options
    }
}
