/// `gateway.objectStorage`: how the gateway reaches the S3 buckets that BPG's `s3Bucket` (uploads)
/// and `sparkLogS3Bucket` (archived logs) name. Every key is optional; the defaults are AWS S3 in
/// BPG's hard-coded region with the AWS SDKs' credentials chain. See docs/object-storage.md.
public struct ObjectStorageSettings: Codable, Hashable, Sendable {
    /// Which credentials source to use.
    public enum CredentialsSource: String, Codable, Hashable, Sendable {
        /// Environment, web identity, shared files, instance metadata: the first that is configured.
        case chain
        /// Only `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
        case environment
        /// Only the shared credentials/config files (`profile`, or `AWS_PROFILE`, or `default`).
        case profile
        /// Only `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE` through STS (IRSA on EKS).
        case webIdentity
        /// Only the EC2 instance metadata service (IMDSv2).
        case instanceMetadata
    }

    /// How the bucket appears in URLs.
    public enum Addressing: String, Codable, Hashable, Sendable {
        /// Virtual-hosted on AWS, path-style with a custom `endpoint`.
        case auto
        case virtualHosted
        case path
    }

    /// The signing region. Default `us-west-2` (the region BPG hard-codes).
    public var region: String = "us-west-2"
    /// An S3-compatible endpoint (`http://minio:9000`); absent for AWS S3.
    public var endpoint: String?
    /// Default `auto`.
    public var addressing: Addressing = .auto
    /// Default `chain`.
    public var credentials: CredentialsSource = .chain
    /// The shared-files profile; default `AWS_PROFILE`, then `default`.
    public var profile: String?
    /// The largest upload `POST <root>/s3/{name}` accepts. Default 100 MiB. The bundled HTTP server
    /// reads a request body into memory before the route sees it, so this is also memory per upload.
    public var maxUploadBytes: Int = 100 << 20
    /// Uploads larger than this go in parts of this size. Default 8 MiB; at least 5 MiB.
    public var partSizeBytes: Int = 8 << 20
    /// A CA bundle for a private endpoint's certificate.
    public var caFile: String?
    /// Archiving of finished applications' logs to `sparkLogS3Bucket` (``LogArchiveSettings``).
    public var logArchive = LogArchiveSettings()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case region, endpoint, addressing, credentials, profile, maxUploadBytes, partSizeBytes, caFile, logArchive
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let region = try c.decodeIfPresent(String.self, forKey: .region)
        self.region = region.flatMap { $0.isEmpty ? nil : $0 } ?? "us-west-2"
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint).flatMap { $0.isEmpty ? nil : $0 }
        addressing = try c.decodeIfPresent(Addressing.self, forKey: .addressing) ?? .auto
        credentials = try c.decodeIfPresent(CredentialsSource.self, forKey: .credentials) ?? .chain
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        maxUploadBytes = try c.decodeIfPresent(Int.self, forKey: .maxUploadBytes) ?? 100 << 20
        partSizeBytes = try c.decodeIfPresent(Int.self, forKey: .partSizeBytes) ?? 8 << 20
        caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
        logArchive = try c.decodeIfPresent(LogArchiveSettings.self, forKey: .logArchive) ?? LogArchiveSettings()
    }
}
