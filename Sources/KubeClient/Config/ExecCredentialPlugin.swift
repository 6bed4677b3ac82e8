import Foundation
import JSON

/// What an exec plugin printed: an `ExecCredential` whose `status` holds a token and/or a client
/// certificate, valid until `expirationTimestamp` (forever when absent).
struct ExecCredential: Sendable {
    var token: String?
    var clientCertificatePEM: Data?
    var clientKeyPEM: Data?
    var expiration: Date?
}

/// Runs an exec credential plugin on a dedicated thread (it blocks reading the pipe and waiting for
/// the process) and parses its output.
enum ExecCredentialPlugin {
    private struct Output: Decodable {
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }
        var apiVersion: String?
        var kind: String?
        var status: Status?
    }

    static func run(_ configuration: ExecCredentialConfiguration, clusterID: String) async throws(KubeError) -> ExecCredential {
        let result: Result<Data, KubeError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runBlocking(configuration, clusterID: clusterID))
            }
            thread.name = "kube-exec-credential"
            thread.start()
        }
        let output = try result.get()
        return try parse(output, configuration: configuration, clusterID: clusterID)
    }

    private static func failure(_ clusterID: String, _ message: String) -> KubeError {
        KubeError(code: .credentials, clusterID: clusterID, message: "exec credential plugin: \(message)")
    }

    private static func runBlocking(_ configuration: ExecCredentialConfiguration, clusterID: String) -> Result<Data, KubeError> {
        // The plugin inherits our environment (it needs HOME, AWS_PROFILE, …), plus what the kubeconfig adds.
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in configuration.environment { environment[name] = value }
        environment["KUBERNETES_EXEC_INFO"] =
            #"{"apiVersion":\#(JSONWriter.quoted(configuration.apiVersion)),"kind":"ExecCredential","spec":{"interactive":false}}"#
        let completion: ChildProcess.Completion
        do {
            // A bare command name is resolved through PATH, as a shell would.
            completion = try ChildProcess.run(
                configuration.command, configuration.arguments, environment: environment,
                timeout: max(configuration.timeout, .seconds(1)))
        } catch {
            var message = "cannot run '\(configuration.command)': \(error)"
            if let hint = configuration.installHint { message += " (\(hint))" }
            return .failure(failure(clusterID, message))
        }
        if completion.timedOut {
            return .failure(failure(clusterID, "'\(configuration.command)' did not finish within \(configuration.timeout)"))
        }
        guard completion.status == 0 else {
            // The plugin's own diagnostic (first line, shortened): never its standard output, which may hold a token.
            let firstLine = String(decoding: completion.standardError.prefix(300), as: UTF8.self)
                .split(separator: "\n").first.map(String.init) ?? ""
            return .failure(failure(
                clusterID, "'\(configuration.command)' exited with status \(completion.status)"
                    + (firstLine.isEmpty ? "" : ": \(firstLine)")))
        }
        return .success(completion.standardOutput)
    }

    static func parse(_ data: Data, configuration: ExecCredentialConfiguration, clusterID: String) throws(KubeError) -> ExecCredential {
        let output: Output
        do {
            output = try JSONDecoder().decode(Output.self, from: data)
        } catch {
            throw failure(clusterID, "output of '\(configuration.command)' is not an ExecCredential JSON object")
        }
        guard output.kind == "ExecCredential" else {
            throw failure(clusterID, "output kind is '\(output.kind ?? "")', expected ExecCredential")
        }
        guard output.apiVersion == configuration.apiVersion else {
            throw failure(clusterID, "output apiVersion '\(output.apiVersion ?? "")' differs from the configured '\(configuration.apiVersion)'")
        }
        guard let status = output.status else { throw failure(clusterID, "output has no status") }
        var credential = ExecCredential()
        credential.token = status.token.flatMap { $0.isEmpty ? nil : $0 }
        credential.clientCertificatePEM = status.clientCertificateData.map { Data($0.utf8) }
        credential.clientKeyPEM = status.clientKeyData.map { Data($0.utf8) }
        if (credential.clientCertificatePEM == nil) != (credential.clientKeyPEM == nil) {
            throw failure(clusterID, "status has a client certificate without a key, or a key without a certificate")
        }
        if credential.token == nil && credential.clientCertificatePEM == nil {
            throw failure(clusterID, "status has neither a token nor a client certificate")
        }
        if let text = status.expirationTimestamp {
            guard let date = KubeTime.parse(text) else {
                throw failure(clusterID, "status.expirationTimestamp '\(text)' is not an RFC 3339 time")
            }
            credential.expiration = date
        }
        return credential
    }
}
