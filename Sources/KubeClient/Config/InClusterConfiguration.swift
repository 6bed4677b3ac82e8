import Foundation

/// The pod's own service account: where its files are (injectable for tests) and how to build a
/// client configuration from them.
public struct InClusterConfiguration: Sendable {
    /// `/var/run/secrets/kubernetes.io/serviceaccount`.
    public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    public var tokenFile: String
    public var certificateAuthorityFile: String
    public var namespaceFile: String
    /// How often the (projected, rotating) token is re-read; it is also re-read after a 401.
    public var tokenRefreshInterval: Duration

    public init(directory: String = InClusterConfiguration.defaultDirectory, tokenRefreshInterval: Duration = .seconds(60)) {
        tokenFile = directory + "/token"
        certificateAuthorityFile = directory + "/ca.crt"
        namespaceFile = directory + "/namespace"
        self.tokenRefreshInterval = tokenRefreshInterval
    }
}

extension KubeClientConfiguration {
    /// The in-cluster configuration: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` with
    /// the service account's CA and (periodically re-read) token. Pass the two environment values in.
    public static func inCluster(
        clusterID: String = "in-cluster", serviceHost: String?, servicePort: String?,
        files: InClusterConfiguration = InClusterConfiguration()
    ) throws(KubeError) -> KubeClientConfiguration {
        func invalid(_ message: String) -> KubeError {
            KubeError(code: .configuration, clusterID: clusterID, message: message)
        }
        guard let host = serviceHost, !host.isEmpty else {
            throw invalid("KUBERNETES_SERVICE_HOST is not set: not running in a pod")
        }
        guard let portText = servicePort, let port = Int(portText), (1...65535).contains(port) else {
            throw invalid("KUBERNETES_SERVICE_PORT: '\(servicePort ?? "")' is not a port")
        }
        guard FileManager.default.isReadableFile(atPath: files.tokenFile) else {
            throw invalid("service account token '\(files.tokenFile)' cannot be read")
        }
        guard FileManager.default.isReadableFile(atPath: files.certificateAuthorityFile) else {
            throw invalid("service account CA '\(files.certificateAuthorityFile)' cannot be read")
        }
        let namespace = (try? String(contentsOfFile: files.namespaceFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let urlHost = host.contains(":") ? "[\(host)]" : host
        return KubeClientConfiguration(
            clusterID: clusterID, server: "https://\(urlHost):\(port)",
            tls: TLS(certificateAuthority: .file(files.certificateAuthorityFile)),
            authentication: .tokenFile(path: files.tokenFile, refreshInterval: files.tokenRefreshInterval),
            defaultNamespace: namespace.flatMap { $0.isEmpty ? nil : $0 })
    }
}
