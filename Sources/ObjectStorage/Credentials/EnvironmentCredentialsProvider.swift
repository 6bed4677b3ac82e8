import Foundation

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optionally `AWS_SESSION_TOKEN`, read from the
/// environment the executable passed in.
public struct EnvironmentCredentialsProvider: AWSCredentialsProviding {
    let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    /// Whether the environment names this source at all (both keys set), for the chain.
    var isConfigured: Bool { nonEmpty("AWS_ACCESS_KEY_ID") != nil && nonEmpty("AWS_SECRET_ACCESS_KEY") != nil }

    public func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        guard let id = nonEmpty("AWS_ACCESS_KEY_ID"), let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
            throw .credentials("environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"))
    }

    private func nonEmpty(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
