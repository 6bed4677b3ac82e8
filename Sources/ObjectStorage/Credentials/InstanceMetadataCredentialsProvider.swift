import Foundation
import HTTPClient

/// The EC2 instance metadata service, version 2: a session token from `PUT /latest/api/token`, then
/// the role name from `/latest/meta-data/iam/security-credentials/` and its credentials from the same
/// path plus the name. The endpoint is `http://169.254.169.254` unless
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` says otherwise; `AWS_EC2_METADATA_DISABLED=true` turns it off.
public struct InstanceMetadataCredentialsProvider: AWSCredentialsProviding {
    public let endpoint: String
    private let cache: RefreshingCredentials

    public init(environment: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        let endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254"
        self.init(endpoint: endpoint, now: now)
    }

    public init(endpoint: String, now: @escaping @Sendable () -> Date = { Date() }) {
        let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.endpoint = base
        // Short timeouts: off EC2 the address does not answer, and the chain should fail fast.
        let transport = CurlTransport(settings: .init(connectTimeout: .seconds(1), idleTimeout: .seconds(5)))
        cache = RefreshingCredentials(now: now) { () async throws(ObjectStorageError) -> AWSCredentials in
            try await Self.fetch(base: base, transport: transport)
        }
    }

    public func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        try await cache.credentials()
    }

    private struct Document: Decodable {
        var Code: String?
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
    }

    private static func fetch(base: String, transport: CurlTransport) async throws(ObjectStorageError) -> AWSCredentials {
        func call(_ method: String, _ path: String, _ headers: [(String, String)]) async throws(ObjectStorageError) -> Data {
            let response: HTTPExchangeResponse
            do {
                response = try await transport.perform(
                    HTTPExchangeRequest(method: method, url: base + path, headers: headers, body: method == "PUT" ? Data() : nil,
                                        totalTimeout: .seconds(5)), maxBodyBytes: 64 << 10)
            } catch {
                throw .credentials("instance metadata at \(base) unreachable: \(error)")
            }
            guard response.status == 200 else {
                throw .credentials("instance metadata: \(method) \(path) answered HTTP \(response.status)")
            }
            return response.body
        }
        let token = String(decoding: try await call("PUT", "/latest/api/token", [("X-aws-ec2-metadata-token-ttl-seconds", "21600")]), as: UTF8.self)
        let auth = [("X-aws-ec2-metadata-token", token)]
        let roles = String(decoding: try await call("GET", "/latest/meta-data/iam/security-credentials/", auth), as: UTF8.self)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw .credentials("instance metadata: no IAM role is attached to this instance")
        }
        let body = try await call("GET", "/latest/meta-data/iam/security-credentials/\(S3Path.encode(role, keepSlash: false))", auth)
        guard let document = try? JSONDecoder().decode(Document.self, from: body),
              let id = document.AccessKeyId, let secret = document.SecretAccessKey else {
            throw .credentials("instance metadata: the credentials document for role \(role) is not readable")
        }
        if let code = document.Code, code != "Success" {
            throw .credentials("instance metadata: role \(role) credentials state \(code)")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: document.Token,
            expiration: document.Expiration.flatMap(ISO8601.parse))
    }
}
