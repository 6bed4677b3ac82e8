import Foundation

extension Kubeconfig {
    /// Builds the in-memory form of one file: decodes `*-data` fields, resolves relative paths
    /// against `directory`, and keeps the first of duplicate names (as client-go does across files).
    init(file: KubeconfigFile, path: String) throws(KubeError) {
        let directory = (path as NSString).deletingLastPathComponent
        func invalid(_ message: String) -> KubeError {
            KubeError(code: .configuration, clusterID: "kubeconfig", message: "\(path): \(message)")
        }
        func resolve(_ file: String?) -> String? {
            guard let file, !file.isEmpty else { return nil }
            if file.hasPrefix("/") { return file }
            return URL(fileURLWithPath: directory).appendingPathComponent(file).standardized.path
        }
        func decode(_ base64: String?, field: String) throws(KubeError) -> Data? {
            guard let base64, !base64.isEmpty else { return nil }
            guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                throw invalid("\(field) is not valid base64")
            }
            return data
        }

        self.init()
        sources = [path]
        currentContext = file.currentContext.flatMap { $0.isEmpty ? nil : $0 }
        for (index, named) in (file.clusters ?? []).enumerated() where clusters[named.name] == nil {
            let fields = named.cluster
            guard !fields.server.isEmpty else { throw invalid("clusters[\(index)] '\(named.name)': server is empty") }
            clusters[named.name] = Cluster(
                server: fields.server,
                certificateAuthority: resolve(fields.certificateAuthority),
                certificateAuthorityData: try decode(
                    fields.certificateAuthorityData, field: "clusters[\(index)].cluster.certificate-authority-data"),
                tlsServerName: fields.tlsServerName.flatMap { $0.isEmpty ? nil : $0 },
                insecureSkipTLSVerify: fields.insecureSkipTLSVerify ?? false,
                proxyURL: fields.proxyURL.flatMap { $0.isEmpty ? nil : $0 })
        }
        for (index, named) in (file.users ?? []).enumerated() where users[named.name] == nil {
            let fields = named.user
            var exec: ExecCredentialConfiguration?
            if let execFields = fields?.exec {
                let apiVersion = execFields.apiVersion ?? ""
                guard ExecCredentialConfiguration.supportedAPIVersions.contains(apiVersion) else {
                    throw invalid("users[\(index)] '\(named.name)': exec apiVersion '\(apiVersion)' is not supported (use client.authentication.k8s.io/v1 or v1beta1)")
                }
                var environment: [String: String] = [:]
                for variable in execFields.env ?? [] { environment[variable.name] = variable.value }
                let command = execFields.command.contains("/") ? resolve(execFields.command) ?? execFields.command : execFields.command
                exec = ExecCredentialConfiguration(
                    apiVersion: apiVersion, command: command, arguments: execFields.args ?? [],
                    environment: environment, installHint: execFields.installHint)
            }
            users[named.name] = User(
                token: fields?.token,
                tokenFile: resolve(fields?.tokenFile),
                clientCertificate: resolve(fields?.clientCertificate),
                clientCertificateData: try decode(fields?.clientCertificateData, field: "users[\(index)].user.client-certificate-data"),
                clientKey: resolve(fields?.clientKey),
                clientKeyData: try decode(fields?.clientKeyData, field: "users[\(index)].user.client-key-data"),
                username: fields?.username,
                password: fields?.password,
                exec: exec)
        }
        for named in file.contexts ?? [] where contexts[named.name] == nil {
            contexts[named.name] = Context(
                cluster: named.context.cluster, user: named.context.user,
                namespace: named.context.namespace.flatMap { $0.isEmpty ? nil : $0 })
        }
    }

    /// The files a `KUBECONFIG` value names (colon-separated, empty entries skipped), or
    /// `~/.kube/config` when it is unset or empty.
    public static func paths(kubeconfigVariable: String?, homeDirectory: String?) -> [String] {
        let listed = (kubeconfigVariable ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        if !listed.isEmpty { return listed }
        guard let homeDirectory else { return [] }
        return [(homeDirectory as NSString).appendingPathComponent(".kube/config")]
    }
}
