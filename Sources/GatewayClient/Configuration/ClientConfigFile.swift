import Foundation
import YAML

/// The `bpg` client's config file: named contexts, each a gateway and who to be there, and the one
/// used by default.
///
/// ```yaml
/// current-context: prod
/// contexts:
///   - name: prod
///     url: https://bpg.example.com      # a path here is the context root
///     user: alice
///     password-command: pass show bpg   # or password: …  (keep the file private)
///     root: /skatev2                    # optional; default /skatev2
///     ca-file: /etc/ssl/corp-ca.pem     # optional
///   - name: dev
///     url: http://127.0.0.1:8080
///     user: demo
/// ```
///
/// It lives at `$XDG_CONFIG_HOME/bpg/config.yaml`, else `~/.config/bpg/config.yaml`; `BPG_CONFIG`
/// names another file.
public struct ClientConfigFile: Sendable, Equatable, Decodable {
    /// One named gateway.
    public struct Context: Sendable, Equatable, Decodable {
        public var name: String
        public var url: String
        public var user: String?
        /// Kept in the file: make the file readable by its owner only.
        public var password: String?
        /// Run with `/bin/sh -c`; its first output line is the password (`pass show bpg`).
        public var passwordCommand: String?
        public var root: String?
        public var caFile: String?

        public init(
            name: String, url: String, user: String? = nil, password: String? = nil, passwordCommand: String? = nil,
            root: String? = nil, caFile: String? = nil
        ) {
            self.name = name
            self.url = url
            self.user = user
            self.password = password
            self.passwordCommand = passwordCommand
            self.root = root
            self.caFile = caFile
        }

        enum CodingKeys: String, CodingKey {
            case name, url, user, password, root
            case passwordCommand = "password-command"
            case caFile = "ca-file"
        }
    }

    public var currentContext: String?
    public var contexts: [Context]

    public init(currentContext: String? = nil, contexts: [Context] = []) {
        self.currentContext = currentContext
        self.contexts = contexts
    }

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case contexts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        currentContext = try container.decodeIfPresent(String.self, forKey: .currentContext)
        contexts = try container.decodeIfPresent([Context].self, forKey: .contexts) ?? []
    }

    /// Where the file is: `BPG_CONFIG`, else `$XDG_CONFIG_HOME/bpg/config.yaml`, else
    /// `$HOME/.config/bpg/config.yaml`; nil when none of those can be formed.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let explicit = environment["BPG_CONFIG"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/bpg/config.yaml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/bpg/config.yaml" }
        return nil
    }

    /// Reads the file at `path`; a missing file is an empty configuration unless `required`.
    public static func load(path: String, required: Bool = false) throws(GatewayClientError) -> ClientConfigFile {
        guard FileManager.default.fileExists(atPath: path) else {
            if required { throw .input("the config file \(path) does not exist") }
            return ClientConfigFile()
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .input("cannot read the config file \(path): \(error.localizedDescription)")
        }
        do {
            var decoder = YAMLDecoder()
            decoder.rejectsUnknownKeys = true
            let file = try decoder.decode(ClientConfigFile.self, from: text)
            var seen = Set<String>()
            for context in file.contexts where !seen.insert(context.name).inserted {
                throw GatewayClientError.input("\(path): context '\(context.name)' is defined twice")
            }
            return file
        } catch let error as GatewayClientError {
            throw error
        } catch {
            throw .input("\(path): \(error)")
        }
    }

    public func context(named name: String) -> Context? { contexts.first { $0.name == name } }
}
