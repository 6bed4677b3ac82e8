import Foundation
import Logging

/// How to reach and authenticate to one cluster's API server. Build it directly, from BPG-style
/// settings (`init(settings:resolver:)`), from a kubeconfig (`fromKubeconfig`) or from the pod's
/// service account (`inCluster`).
///
/// TLS is always verified: an `https` server without a certificate authority is a configuration
/// error, unless `tls.insecureSkipVerify` is set explicitly (then every client logs a warning).
/// `description` never shows tokens, passwords or key material.
public struct KubeClientConfiguration: Sendable, CustomStringConvertible {
    /// Where PEM material comes from.
    public enum PEMSource: Sendable, Hashable {
        /// PEM bytes in memory (handed to libcurl as a blob).
        case pem(Data)
        /// A PEM file, read by libcurl when it connects.
        case file(String)
    }

    /// TLS settings.
    public struct TLS: Sendable {
        /// The CA that signed the server's certificate. Required for `https` unless `insecureSkipVerify`.
        public var certificateAuthority: PEMSource?
        /// Client certificate and key, for clusters that authenticate clients by certificate.
        public var clientCertificate: PEMSource?
        public var clientKey: PEMSource?
        /// The name to verify the server certificate against (and send as SNI) when it differs from
        /// the host in `server` — kubeconfig's `tls-server-name`.
        public var serverName: String?
        /// Skip certificate verification. Only when a kubeconfig says so explicitly; logged as a warning.
        public var insecureSkipVerify: Bool

        public init(
            certificateAuthority: PEMSource? = nil, clientCertificate: PEMSource? = nil, clientKey: PEMSource? = nil,
            serverName: String? = nil, insecureSkipVerify: Bool = false
        ) {
            self.certificateAuthority = certificateAuthority
            self.clientCertificate = clientCertificate
            self.clientKey = clientKey
            self.serverName = serverName
            self.insecureSkipVerify = insecureSkipVerify
        }
    }

    /// How requests prove who they are (in addition to a client certificate, if any).
    public enum Authentication: Sendable {
        case none
        /// A fixed bearer token.
        case bearerToken(String)
        /// A token file re-read every `refreshInterval` (projected service-account tokens rotate) and on 401.
        case tokenFile(path: String, refreshInterval: Duration)
        /// HTTP basic authentication (old clusters only).
        case basic(username: String, password: String)
        /// A `client.authentication.k8s.io` exec plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, …).
        case exec(ExecCredentialConfiguration)
    }

    /// Names the cluster in errors, logs and metrics.
    public var clusterID: String
    /// `https://host:port`, optionally with a path prefix.
    public var server: String
    public var tls: TLS
    public var authentication: Authentication
    /// An HTTP(S) proxy URL for this cluster; `nil` connects directly (the environment is never read).
    public var proxy: String?
    /// The namespace from the kubeconfig context or the service account, if any.
    public var defaultNamespace: String?
    public var connectTimeout: Duration
    /// Total time for one ordinary request.
    public var requestTimeout: Duration
    /// A watch or followed log with no byte for this long is treated as dead and reconnected.
    public var watchIdleTimeout: Duration
    public var userAgent: String
    /// Buffered responses larger than this fail with `.tooLarge`.
    public var maxResponseBytes: Int
    /// A watch line (one event) larger than this fails the watch with `.tooLarge`.
    public var maxWatchLineBytes: Int
    /// Unread bytes a stream holds before it pauses the transfer.
    public var streamBufferBytes: Int
    public var logger: Logger

    public init(
        clusterID: String, server: String, tls: TLS = TLS(), authentication: Authentication = .none,
        proxy: String? = nil, defaultNamespace: String? = nil
    ) {
        self.clusterID = clusterID
        self.server = server
        self.tls = tls
        self.authentication = authentication
        self.proxy = proxy
        self.defaultNamespace = defaultNamespace
        self.connectTimeout = .seconds(10)
        self.requestTimeout = .seconds(30)
        self.watchIdleTimeout = .seconds(300)
        self.userAgent = "bpg"
        self.maxResponseBytes = 256 << 20
        self.maxWatchLineBytes = 16 << 20
        self.streamBufferBytes = 4 << 20
        self.logger = .disabled
    }

    public var description: String {
        let authentication: String
        switch self.authentication {
        case .none: authentication = "none"
        case .bearerToken: authentication = "bearer token <redacted>"
        case .tokenFile(let path, _): authentication = "token file \(path)"
        case .basic(let username, _): authentication = "basic \(username):<redacted>"
        case .exec(let exec): authentication = "exec \(exec.command)"
        }
        let ca: String
        switch tls.certificateAuthority {
        case .pem(let data): ca = "in memory (\(data.count) bytes)"
        case .file(let path): ca = path
        case nil: ca = "none"
        }
        return "KubeClientConfiguration(cluster: \(clusterID), server: \(server), ca: \(ca), "
            + "clientCertificate: \(tls.clientCertificate == nil ? "no" : "yes"), serverName: \(tls.serverName ?? "-"), "
            + "insecureSkipVerify: \(tls.insecureSkipVerify), authentication: \(authentication), proxy: \(proxy == nil ? "none" : "set"))"
    }
}

extension KubeClientConfiguration {
    private func configurationError(_ message: String) -> KubeError {
        KubeError(code: .configuration, clusterID: clusterID, message: message)
    }

    /// Validates the configuration and turns it into what each transfer needs.
    func connectionProfile() throws(KubeError) -> ConnectionProfile {
        guard let components = URLComponents(string: server), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else {
            throw configurationError("server: '\(server)' is not an http(s) URL with a host")
        }
        if scheme == "https" && tls.certificateAuthority == nil && !tls.insecureSkipVerify {
            throw configurationError(
                "tls: no certificate authority for \(server); give one (or set insecure-skip-tls-verify explicitly)")
        }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let urlHost = bareHost.contains(":") ? "[\(bareHost)]" : bareHost
        var baseURL = "\(scheme)://\(urlHost):\(port)"
        var connectTo: String?
        if let serverName = tls.serverName, !serverName.isEmpty, serverName != bareHost {
            // libcurl 7.88 has no option for the TLS name: put the name in the URL (so SNI and
            // verification use it) and send the connection to the real address with CONNECT_TO.
            guard !serverName.contains(":"), !serverName.contains("/") else {
                throw configurationError("tls-server-name: '\(serverName)' must be a host name")
            }
            baseURL = "\(scheme)://\(serverName):\(port)"
            connectTo = "\(serverName):\(port):\(urlHost):\(port)"
        }
        let path = components.percentEncodedPath
        if !path.isEmpty && path != "/" {
            baseURL += path.hasSuffix("/") ? String(path.dropLast()) : path
        }
        var profile = ConnectionProfile(
            clusterID: clusterID, baseURL: baseURL, connectTo: connectTo,
            insecureSkipTLSVerify: tls.insecureSkipVerify, proxy: proxy.flatMap { $0.isEmpty ? nil : $0 },
            connectTimeout: connectTimeout, requestTimeout: requestTimeout, idleTimeout: watchIdleTimeout,
            userAgent: userAgent, maxResponseBytes: maxResponseBytes, streamBufferBytes: streamBufferBytes)
        switch tls.certificateAuthority {
        case .pem(let data): profile.certificateAuthorityPEM = data
        case .file(let path): profile.certificateAuthorityFile = try readableFile(path, field: "certificate-authority")
        case nil: break
        }
        switch tls.clientCertificate {
        case .pem(let data): profile.clientCertificatePEM = data
        case .file(let path): profile.clientCertificateFile = try readableFile(path, field: "client-certificate")
        case nil: break
        }
        switch tls.clientKey {
        case .pem(let data): profile.clientKeyPEM = data
        case .file(let path): profile.clientKeyFile = try readableFile(path, field: "client-key")
        case nil: break
        }
        if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
            throw configurationError("tls: a client certificate needs its key and a key needs its certificate")
        }
        return profile
    }

    private func readableFile(_ path: String, field: String) throws(KubeError) -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw configurationError("\(field): cannot read '\(path)'")
        }
        return path
    }
}
