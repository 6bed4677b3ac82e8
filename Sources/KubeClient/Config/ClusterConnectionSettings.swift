import Foundation

/// BPG's per-cluster connection settings (`sparkClusters[]` in its config): the gateway maps its
/// configuration onto this, and `KubeClientConfiguration(settings:resolver:)` turns it into a client
/// configuration, resolving the secret encodings of `caCertDataSOPS` and `userTokenSOPS`.
public struct ClusterConnectionSettings: Sendable, CustomStringConvertible {
    /// The cluster id (submission-id prefix).
    public var id: String
    /// The API server URL.
    public var masterURL: String
    /// Base64 of the CA's PEM (plain PEM is accepted too), possibly in a secret encoding.
    public var caCertData: String?
    /// The bearer token, possibly in a secret encoding.
    public var userToken: String?
    /// Kept for BPG compatibility; only used in logs (Kubernetes identifies the token's user itself).
    public var userName: String?
    /// Connect and request timeout (BPG default 30 000 ms).
    public var timeoutMillis: Int
    public var httpProxy: String?
    public var httpsProxy: String?
    /// `sparkApplicationNamespace`.
    public var namespace: String?

    public init(
        id: String, masterURL: String, caCertData: String? = nil, userToken: String? = nil, userName: String? = nil,
        timeoutMillis: Int = 30_000, httpProxy: String? = nil, httpsProxy: String? = nil, namespace: String? = nil
    ) {
        self.id = id
        self.masterURL = masterURL
        self.caCertData = caCertData
        self.userToken = userToken
        self.userName = userName
        self.timeoutMillis = timeoutMillis
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.namespace = namespace
    }

    public var description: String {
        "ClusterConnectionSettings(id: \(id), masterURL: \(masterURL), caCertData: \(caCertData == nil ? "none" : "<redacted>"), "
            + "userToken: \(userToken == nil ? "none" : "<redacted>"), userName: \(userName ?? "-"), timeoutMillis: \(timeoutMillis), "
            + "httpProxy: \(httpProxy ?? "-"), httpsProxy: \(httpsProxy ?? "-"), namespace: \(namespace ?? "-"))"
    }
}

extension KubeClientConfiguration {
    /// Builds a configuration from BPG-style settings, resolving `plaintext:`, `localhost:env:` and
    /// `k8s:secret:` values with `resolver`. The CA is required (base64 PEM, or PEM) and so is the token.
    public init(settings: ClusterConnectionSettings, resolver: SecretValueResolver) async throws(KubeError) {
        func invalid(_ message: String) -> KubeError {
            KubeError(code: .configuration, clusterID: settings.id, message: message)
        }
        guard let caField = settings.caCertData, !caField.isEmpty else {
            throw invalid("caCertDataSOPS: missing (TLS is always verified)")
        }
        let caText = try await resolver.resolve(caField, field: "caCertDataSOPS", clusterID: settings.id)
        let pem: Data
        let trimmed = caText.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") {
            pem = Data(trimmed.utf8)
        } else if let decoded = Data(base64Encoded: trimmed, options: .ignoreUnknownCharacters),
            String(decoding: decoded, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----")
        {
            pem = decoded
        } else {
            throw invalid("caCertDataSOPS: not base64 of a PEM certificate")
        }
        guard let tokenField = settings.userToken, !tokenField.isEmpty else {
            throw invalid("userTokenSOPS: missing")
        }
        let token = try await resolver.resolve(tokenField, field: "userTokenSOPS", clusterID: settings.id)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw invalid("userTokenSOPS: empty after resolution") }
        guard settings.timeoutMillis > 0 else { throw invalid("timeoutMillis: must be positive") }

        self.init(
            clusterID: settings.id, server: settings.masterURL, tls: TLS(certificateAuthority: .pem(pem)),
            authentication: .bearerToken(token), defaultNamespace: settings.namespace)
        let isHTTPS = settings.masterURL.lowercased().hasPrefix("https:")
        proxy = (isHTTPS ? settings.httpsProxy : settings.httpProxy).flatMap { $0.isEmpty ? nil : $0 }
        connectTimeout = .milliseconds(settings.timeoutMillis)
        requestTimeout = .milliseconds(settings.timeoutMillis)
    }
}
