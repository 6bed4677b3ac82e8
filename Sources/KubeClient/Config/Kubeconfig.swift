import Foundation

/// A kubeconfig (`~/.kube/config`), possibly merged from several files as `KUBECONFIG` lists them.
///
/// Merging follows client-go: files are read in order and, for every named cluster, user and context,
/// the first file that defines the name wins; `current-context` comes from the first file that sets
/// it. Relative file paths (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`,
/// an exec `command` containing a `/`) are resolved against the folder of the file that names them.
public struct Kubeconfig: Sendable {
    public struct Cluster: Sendable, Hashable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: Data?
        public var tlsServerName: String?
        public var insecureSkipTLSVerify: Bool
        public var proxyURL: String?
    }

    public struct User: Sendable, Hashable {
        public var token: String?
        public var tokenFile: String?
        public var clientCertificate: String?
        public var clientCertificateData: Data?
        public var clientKey: String?
        public var clientKeyData: Data?
        public var username: String?
        public var password: String?
        public var exec: ExecCredentialConfiguration?
    }

    public struct Context: Sendable, Hashable {
        public var cluster: String
        public var user: String?
        public var namespace: String?
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files this was read from, in order (for error messages).
    public var sources: [String] = []

    public init() {}

    /// Merges `other` into `self`: names already present in `self` keep their definition.
    public func merging(_ other: Kubeconfig) -> Kubeconfig {
        var merged = self
        merged.clusters.merge(other.clusters) { first, _ in first }
        merged.users.merge(other.users) { first, _ in first }
        merged.contexts.merge(other.contexts) { first, _ in first }
        if merged.currentContext?.isEmpty ?? true { merged.currentContext = other.currentContext }
        merged.sources += other.sources
        return merged
    }

    /// The client configuration for `context` (default: `current-context`). The cluster id is the context name.
    public func configuration(context requested: String? = nil) throws(KubeError) -> KubeClientConfiguration {
        let contextName = requested ?? currentContext ?? ""
        func invalid(_ message: String) -> KubeError {
            KubeError(code: .configuration, clusterID: contextName.isEmpty ? "kubeconfig" : contextName, message: message)
        }
        guard !contextName.isEmpty else {
            throw invalid("kubeconfig: no context given and no current-context in \(sources.joined(separator: ":"))")
        }
        guard let context = contexts[contextName] else {
            throw invalid("kubeconfig: context '\(contextName)' is not defined")
        }
        guard let cluster = clusters[context.cluster] else {
            throw invalid("kubeconfig: context '\(contextName)' names cluster '\(context.cluster)', which is not defined")
        }
        let user: User
        if let userName = context.user, !userName.isEmpty {
            guard let found = users[userName] else {
                throw invalid("kubeconfig: context '\(contextName)' names user '\(userName)', which is not defined")
            }
            user = found
        } else {
            user = User()
        }

        var tls = KubeClientConfiguration.TLS(serverName: cluster.tlsServerName, insecureSkipVerify: cluster.insecureSkipTLSVerify)
        if let data = cluster.certificateAuthorityData {
            tls.certificateAuthority = .pem(data)
        } else if let path = cluster.certificateAuthority {
            tls.certificateAuthority = .file(path)
        }
        if cluster.insecureSkipTLSVerify && tls.certificateAuthority != nil {
            // client-go refuses this combination too: it is ambiguous which one the user meant.
            throw invalid("kubeconfig: cluster '\(context.cluster)' sets both a certificate authority and insecure-skip-tls-verify")
        }
        if let data = user.clientCertificateData {
            tls.clientCertificate = .pem(data)
        } else if let path = user.clientCertificate {
            tls.clientCertificate = .file(path)
        }
        if let data = user.clientKeyData {
            tls.clientKey = .pem(data)
        } else if let path = user.clientKey {
            tls.clientKey = .file(path)
        }

        let authentication: KubeClientConfiguration.Authentication
        if let token = user.token, !token.isEmpty {
            authentication = .bearerToken(token)
        } else if let path = user.tokenFile, !path.isEmpty {
            authentication = .tokenFile(path: path, refreshInterval: .seconds(60))
        } else if let exec = user.exec {
            authentication = .exec(exec)
        } else if let username = user.username, let password = user.password {
            authentication = .basic(username: username, password: password)
        } else {
            authentication = .none
        }

        var configuration = KubeClientConfiguration(
            clusterID: contextName, server: cluster.server, tls: tls, authentication: authentication,
            proxy: cluster.proxyURL, defaultNamespace: context.namespace)
        configuration.tls = tls
        return configuration
    }
}

/// The on-disk shape of one kubeconfig file (only what a client needs; other keys are ignored).
struct KubeconfigFile: Decodable {
    struct NamedCluster: Decodable {
        var name: String
        var cluster: ClusterFields
    }
    struct ClusterFields: Decodable {
        var server: String
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var tlsServerName: String?
        var insecureSkipTLSVerify: Bool?
        var proxyURL: String?
        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case tlsServerName = "tls-server-name"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            case proxyURL = "proxy-url"
        }
    }
    struct NamedUser: Decodable {
        var name: String
        var user: UserFields?
    }
    struct UserFields: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var username: String?
        var password: String?
        var exec: ExecFields?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
        }
    }
    struct ExecFields: Decodable {
        struct Variable: Decodable {
            var name: String
            var value: String
        }
        var apiVersion: String?
        var command: String
        var args: [String]?
        var env: [Variable]?
        var installHint: String?
    }
    struct NamedContext: Decodable {
        var name: String
        var context: ContextFields
    }
    struct ContextFields: Decodable {
        var cluster: String
        var user: String?
        var namespace: String?
    }

    var clusters: [NamedCluster]?
    var users: [NamedUser]?
    var contexts: [NamedContext]?
    var currentContext: String?

    enum CodingKeys: String, CodingKey {
        case clusters, users, contexts
        case currentContext = "current-context"
    }
}
