/// `spec.sparkUIOptions`: the driver UI service port and ingress settings, copied from the cluster
/// configuration with `{spark-application-resource-name}` substituted in annotation values.
public struct SparkUIOptions: Codable, Hashable, Sendable {
    /// A TLS entry of the UI ingress.
    public struct IngressTLS: Codable, Hashable, Sendable {
        public var hosts: [String]?
        public var secretName: String?
        public init(hosts: [String]? = nil, secretName: String? = nil) {
            self.hosts = hosts
            self.secretName = secretName
        }
    }

    public var servicePort: Int?
    public var ingressAnnotations: [String: String]?
    public var ingressTLS: [IngressTLS]?

    public init(servicePort: Int? = nil, ingressAnnotations: [String: String]? = nil, ingressTLS: [IngressTLS]? = nil) {
        self.servicePort = servicePort
        self.ingressAnnotations = ingressAnnotations
        self.ingressTLS = ingressTLS
    }

    private enum CodingKeys: String, CodingKey { case servicePort, ingressAnnotations, ingressTLS }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        servicePort = try c.decodeLenientInt(forKey: .servicePort)
        ingressAnnotations = try c.decodeStringMap(forKey: .ingressAnnotations)
        ingressTLS = try c.decodeIfPresent([IngressTLS].self, forKey: .ingressTLS)
    }
}
