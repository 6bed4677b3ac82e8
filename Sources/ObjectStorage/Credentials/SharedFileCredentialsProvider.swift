import Foundation

/// The shared credentials file (`~/.aws/credentials`, or `AWS_SHARED_CREDENTIALS_FILE`) and config
/// file (`~/.aws/config`, or `AWS_CONFIG_FILE`), profile `AWS_PROFILE` or `default`.
///
/// Like the AWS SDKs, the credentials file wins over the config file for the same profile, and the
/// config file names profiles `[profile NAME]` (except `[default]`). A profile that names a
/// `role_arn` with `web_identity_token_file` is resolved through STS by the chain.
public struct SharedFileCredentialsProvider: AWSCredentialsProviding {
    public let credentialsFile: String
    public let configFile: String
    public let profile: String

    public init(environment: [String: String], profile: String? = nil) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        credentialsFile = environment["AWS_SHARED_CREDENTIALS_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.aws/credentials"
        configFile = environment["AWS_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.aws/config"
        self.profile = profile ?? environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The profile's merged settings (credentials file over config file); empty when neither has it.
    func settings() -> [String: String] {
        var merged: [String: String] = [:]
        if let text = try? String(contentsOfFile: configFile, encoding: .utf8) {
            let section = profile == "default" ? "default" : "profile \(profile)"
            let sections = Self.parse(text)
            merged = sections[section] ?? (profile == "default" ? sections["profile default"] : nil) ?? [:]
        }
        if let text = try? String(contentsOfFile: credentialsFile, encoding: .utf8) {
            merged.merge(Self.parse(text)[profile] ?? [:]) { _, fromCredentials in fromCredentials }
        }
        return merged
    }

    public func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        let values = settings()
        guard let id = values["aws_access_key_id"], !id.isEmpty, let secret = values["aws_secret_access_key"], !secret.isEmpty else {
            throw .credentials("shared files: profile \(profile) has no aws_access_key_id and aws_secret_access_key in \(credentialsFile) or \(configFile)")
        }
        let token = values["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token)
    }

    /// An INI file: `[section]` headers, `key = value` lines, `#` and `;` comments. Keys are lower-cased.
    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }
}
