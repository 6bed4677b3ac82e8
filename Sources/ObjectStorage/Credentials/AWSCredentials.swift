import Foundation

/// An access key pair, with the session token and expiry of temporary credentials.
///
/// `description` never shows the secret or the token, so credentials can sit in logged values safely.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }

    public var debugDescription: String { description }
}

/// Where a client gets its credentials from. Called before every request: implementations cache.
///
/// ```swift
/// struct FixedCredentials: AWSCredentialsProviding {
///     func credentials() async throws(ObjectStorageError) -> AWSCredentials {
///         AWSCredentials(accessKeyId: "AKIA…", secretAccessKey: secret)
///     }
/// }
/// ```
public protocol AWSCredentialsProviding: Sendable {
    /// Current credentials, or `ObjectStorageError` with reason `credentials` naming the source that failed.
    func credentials() async throws(ObjectStorageError) -> AWSCredentials
}

/// Credentials fixed at construction (tests, or keys the embedder resolved itself).
public struct StaticCredentialsProvider: AWSCredentialsProviding {
    let value: AWSCredentials
    public init(_ credentials: AWSCredentials) { value = credentials }
    public func credentials() async throws(ObjectStorageError) -> AWSCredentials { value }
}
