import Foundation

/// What the command line said about where to connect (`--url`, `--context`, `--user`); nil when absent.
public struct ConnectionFlags: Sendable, Equatable {
    public var url: String?
    public var context: String?
    public var user: String?

    public init(url: String? = nil, context: String? = nil, user: String? = nil) {
        self.url = url
        self.context = context
        self.user = user
    }
}

/// Resolves flags, environment and config file into a ``GatewayEndpoint``. Precedence, highest
/// first: flags, environment (`BPG_URL`, `BPG_CONTEXT`, `BPG_USER`, `BPG_PASSWORD`), the chosen
/// context (`--context`, `BPG_CONTEXT`, else the file's `current-context`).
public enum ConnectionResolver {
    /// A resolved endpoint, and whether its password came from anywhere (else a prompt may ask for it).
    public struct Resolution: Sendable, Equatable {
        public var endpoint: GatewayEndpoint
        public var passwordKnown: Bool
        /// The context used, if any.
        public var contextName: String?
    }

    public static func resolve(
        flags: ConnectionFlags, environment: [String: String], file: ClientConfigFile,
        runPasswordCommand: (String) throws(GatewayClientError) -> String = PasswordCommand.run
    ) throws(GatewayClientError) -> Resolution {
        let contextName = flags.context ?? environment["BPG_CONTEXT"].flatMap { $0.isEmpty ? nil : $0 } ?? file.currentContext
        var context: ClientConfigFile.Context?
        if let contextName {
            guard let found = file.context(named: contextName) else {
                let known = file.contexts.map(\.name)
                throw .input("no context named '\(contextName)' in the config file"
                    + (known.isEmpty ? "" : " (contexts: \(known.joined(separator: ", ")))"))
            }
            context = found
        }
        let environmentURL = environment["BPG_URL"].flatMap { $0.isEmpty ? nil : $0 }
        // An explicit --context wins over BPG_URL; BPG_URL wins over the file's current-context.
        let url: String? =
            flags.url ?? (flags.context != nil ? context?.url : nil) ?? environmentURL ?? context?.url
        guard let url else {
            throw .input("no gateway to talk to: pass --url URL, set BPG_URL, or add a context to the config file (docs/cli.md)")
        }
        let user = flags.user ?? environment["BPG_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? context?.user
        var password = environment["BPG_PASSWORD"]
        if password == nil, let context, user == context.user || context.user == nil {
            if let stored = context.password {
                password = stored
            } else if let command = context.passwordCommand {
                password = try runPasswordCommand(command)
            }
        }
        let endpoint = try GatewayEndpoint(url: url, root: context?.url == url ? context?.root : nil, user: user, password: password, caFile: context?.caFile)
        return Resolution(endpoint: endpoint, passwordKnown: password != nil, contextName: context?.name)
    }
}

/// Runs a context's `password-command`.
public enum PasswordCommand {
    /// Runs `command` with `/bin/sh -c` and returns its first output line; the command's own error
    /// output goes to the terminal, the password never does.
    public static func run(_ command: String) throws(GatewayClientError) -> String {
        guard let pipe = popen(command, "r") else {
            throw .input("cannot run the context's password-command: \(String(cString: strerror(errno)))")
        }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output.append(contentsOf: buffer[0..<count])
        }
        let status = pclose(pipe)
        guard status == 0 else {
            throw .input("the context's password-command failed (exit status \((status >> 8) & 0xff))")
        }
        let text = String(decoding: output, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }
}
