import Foundation

/// The AWS SDKs' default chain: environment variables, then web identity (`AWS_ROLE_ARN` +
/// `AWS_WEB_IDENTITY_TOKEN_FILE`), then the shared credentials/config files, then the instance
/// metadata service. The first source that is configured is used from then on; if none is, each is
/// tried in order and the error lists why every one failed.
public struct CredentialsChain: AWSCredentialsProviding {
    private let sources: [(name: String, provider: any AWSCredentialsProviding, configured: Bool)]

    /// - Parameters:
    ///   - environment: the process environment, read by the executable and passed down.
    ///   - profile: a profile name overriding `AWS_PROFILE`.
    ///   - region: used for the regional STS endpoint.
    public init(environment: [String: String], profile: String? = nil, region: String) {
        var sources: [(String, any AWSCredentialsProviding, Bool)] = []
        let env = EnvironmentCredentialsProvider(environment: environment)
        sources.append(("environment", env, env.isConfigured))
        if let web = WebIdentityCredentialsProvider(environment: environment, region: region) {
            sources.append(("web identity", web, true))
        }
        let files = SharedFileCredentialsProvider(environment: environment, profile: profile)
        let settings = files.settings()
        if let role = settings["role_arn"], let tokenFile = settings["web_identity_token_file"] {
            let endpoint = environment["AWS_ENDPOINT_URL_STS"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://sts.\(region).amazonaws.com"
            sources.append((
                "shared files (web identity)",
                WebIdentityCredentialsProvider(
                    roleARN: role, tokenFile: tokenFile, sessionName: settings["role_session_name"] ?? "batch-processing-gateway",
                    stsEndpoint: endpoint), true))
        }
        sources.append(("shared files", files, settings["aws_access_key_id"] != nil))
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" {
            sources.append(("instance metadata", InstanceMetadataCredentialsProvider(environment: environment), false))
        }
        self.sources = sources
    }

    /// The name of the source that will be used, or nil when only a probe will tell (instance metadata).
    public var configuredSource: String? { sources.first { $0.configured }?.name }

    public func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        if let source = sources.first(where: { $0.configured }) {
            return try await source.provider.credentials()
        }
        var failures: [String] = []
        for source in sources {
            do {
                return try await source.provider.credentials()
            } catch {
                failures.append("\(error)")
            }
        }
        throw .credentials("no source configured; tried " + failures.joined(separator: "; "))
    }
}
