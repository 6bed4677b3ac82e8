import Foundation
import GatewayCore
import ObjectStorage

/// Builds the S3 client that `gateway.objectStorage` describes.
enum ObjectStorageFactory {
    static func client(_ settings: ObjectStorageSettings, environment: [String: String]) -> S3Client {
        var configuration = S3Configuration(region: settings.region, endpoint: settings.endpoint)
        configuration.addressing =
            switch settings.addressing {
            case .auto: .auto
            case .virtualHosted: .virtualHosted
            case .path: .path
            }
        configuration.partSize = settings.partSizeBytes
        configuration.caFile = settings.caFile
        // Plain HTTP has no transport integrity: sign the body's hash there.
        configuration.signPayload = settings.endpoint?.lowercased().hasPrefix("http://") == true
        return S3Client(configuration: configuration, credentials: credentials(settings, environment: environment))
    }

    static func credentials(_ settings: ObjectStorageSettings, environment: [String: String]) -> any AWSCredentialsProviding {
        switch settings.credentials {
        case .chain:
            return CredentialsChain(environment: environment, profile: settings.profile, region: settings.region)
        case .environment:
            return EnvironmentCredentialsProvider(environment: environment)
        case .profile:
            return SharedFileCredentialsProvider(environment: environment, profile: settings.profile)
        case .webIdentity:
            if let provider = WebIdentityCredentialsProvider(environment: environment, region: settings.region) { return provider }
            return MissingCredentials(message: "credentials: webIdentity needs AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE")
        case .instanceMetadata:
            return InstanceMetadataCredentialsProvider(environment: environment)
        }
    }
}

/// A configured source that cannot work; every request fails saying why.
private struct MissingCredentials: AWSCredentialsProviding {
    let message: String
    func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        throw ObjectStorageError.missingCredentials(message)
    }
}
