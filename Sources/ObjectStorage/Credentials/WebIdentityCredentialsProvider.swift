import Foundation
import HTTPClient

/// IAM roles for service accounts (IRSA on EKS): the projected token in `AWS_WEB_IDENTITY_TOKEN_FILE`
/// is exchanged for temporary credentials of `AWS_ROLE_ARN` through STS `AssumeRoleWithWebIdentity`
/// (an unsigned call). The token file is re-read on every refresh because the kubelet rotates it.
public struct WebIdentityCredentialsProvider: AWSCredentialsProviding {
    public let roleARN: String
    public let tokenFile: String
    public let sessionName: String
    /// `https://sts.<region>.amazonaws.com` unless `AWS_ENDPOINT_URL_STS` says otherwise.
    public let stsEndpoint: String
    private let cache: RefreshingCredentials

    /// Nil when the environment does not configure web identity (no role ARN or no token file).
    public init?(environment: [String: String], region: String, now: @escaping @Sendable () -> Date = { Date() }) {
        guard let role = environment["AWS_ROLE_ARN"], !role.isEmpty,
              let file = environment["AWS_WEB_IDENTITY_TOKEN_FILE"], !file.isEmpty else { return nil }
        let endpoint = environment["AWS_ENDPOINT_URL_STS"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://sts.\(region).amazonaws.com"
        let session = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "batch-processing-gateway"
        self.init(roleARN: role, tokenFile: file, sessionName: session, stsEndpoint: endpoint, now: now)
    }

    public init(
        roleARN: String, tokenFile: String, sessionName: String, stsEndpoint: String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.roleARN = roleARN
        self.tokenFile = tokenFile
        self.sessionName = sessionName
        self.stsEndpoint = stsEndpoint.hasSuffix("/") ? String(stsEndpoint.dropLast()) : stsEndpoint
        let transport = CurlTransport(settings: .init(connectTimeout: .seconds(5), idleTimeout: .seconds(30)))
        let (role, file, session, endpoint) = (roleARN, tokenFile, sessionName, self.stsEndpoint)
        cache = RefreshingCredentials(now: now) { () async throws(ObjectStorageError) -> AWSCredentials in
            try await Self.assumeRole(role: role, tokenFile: file, session: session, endpoint: endpoint, transport: transport)
        }
    }

    public func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        try await cache.credentials()
    }

    private static func assumeRole(
        role: String, tokenFile: String, session: String, endpoint: String, transport: CurlTransport
    ) async throws(ObjectStorageError) -> AWSCredentials {
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .credentials("web identity: cannot read the token file \(tokenFile): \(error.localizedDescription)")
        }
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
            ("RoleSessionName", session), ("WebIdentityToken", token),
        ].map { "\($0.0)=\(S3Path.encode($0.1, keepSlash: false))" }.joined(separator: "&")
        let response: HTTPExchangeResponse
        do {
            response = try await transport.perform(
                HTTPExchangeRequest(
                    method: "POST", url: endpoint + "/",
                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/xml")],
                    body: Data(form.utf8), totalTimeout: .seconds(30)))
        } catch {
            throw .credentials("web identity: STS at \(endpoint) unreachable: \(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw .credentials("web identity: STS refused AssumeRoleWithWebIdentity for \(role): \(ObjectStorageError.fromResponse(status: response.status, body: response.body))")
        }
        let xml = String(decoding: response.body, as: UTF8.self)
        guard let id = XMLText.first("AccessKeyId", in: xml), let secret = XMLText.first("SecretAccessKey", in: xml) else {
            throw .credentials("web identity: STS answer has no credentials")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: XMLText.first("SessionToken", in: xml),
            expiration: XMLText.first("Expiration", in: xml).flatMap(ISO8601.parse))
    }
}

/// ISO 8601 timestamps as STS and IMDS write them, with or without fractional seconds.
enum ISO8601 {
    static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
