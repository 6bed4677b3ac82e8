import GatewayClient

/// Parses the client subcommands (`submit`, `status`, `logs`, `list`, `describe`, `delete`,
/// `clusters`, `completion`) into a `ClientInvocation`; `ClientRunner` (GatewayClient) does the rest.
enum ClientCommandParser {
    static let names: Set<String> = ["submit", "status", "logs", "list", "describe", "delete", "clusters"]
    /// Flags every client command takes, before or after the command name.
    static let globalFlags: Set<String> = ["--url", "--context", "--user", "--output", "-o"]

    static let usage = """
        usage: bpg <command> [options]        (client commands; docs/cli.md)

        commands:
          submit FILE|-           submit a JSON or YAML request (- reads standard input); prints the id
              --queue Q  --spark-version V  --name NAME  --conf KEY=VALUE (repeatable)
              --wait              wait for the job to end: exit 0 when COMPLETED, 1 when it failed
              --logs              with --wait (implied): follow the driver log on standard output
          status ID [--wait]      state, times, error message (--wait: until the job ends)
          logs ID [-f]            the driver log (-f: follow it while the driver runs)
          list [--all] [--state S]  your submissions (--all: everyone's, admins)
          describe ID             spec and events (with -o json|yaml: status, driver and spec)
          delete ID               delete (kill) the application
          clusters                per-cluster health and backlog (admins)
          completion bash|zsh     print a shell completion script

        where to connect (highest first): --url URL | BPG_URL | --context NAME | BPG_CONTEXT |
          the config file's current-context ($XDG_CONFIG_HOME/bpg/config.yaml, ~/.config/bpg/config.yaml,
          or BPG_CONFIG)
        options for every command:
          --url URL               the gateway (a path in it is the context root; default /skatev2)
          --context NAME          a context of the config file
          --user NAME             the user (else BPG_USER, else the context's); the password comes from
                                  BPG_PASSWORD, the context, or a prompt on the terminal (never a flag)
          -o, --output FORMAT     table (default), json or yaml

        exit status: 0 success (job COMPLETED), 1 job FAILED/KILLED/SUBMISSION_FAILED, 2 usage error,
          3 unreadable input or request refused (4xx), 4 gateway unreachable or failing (5xx),
          5 authentication or authorization refused (401/403)

        """

    /// `arguments` start with the command name (global flags may come before it; the caller moved them).
    static func parse(_ arguments: [String], leadingGlobals: [String] = []) throws(UsageError) -> Command {
        guard let name = arguments.first else { throw UsageError(message: "missing command") }
        var rest = leadingGlobals + Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") { return .help(topic: name) }
        if name == "completion" {
            guard rest.count == 1, let shell = rest.first else { throw UsageError(message: "completion takes one argument: bash or zsh") }
            guard CompletionScript.script(for: shell) != nil else {
                throw UsageError(message: "completion supports bash and zsh, not '\(shell)'")
            }
            return .completion(shell: shell)
        }
        var connection = ConnectionFlags()
        var output = OutputFormat.table
        var positional: [String] = []
        var flags: [(name: String, value: String?)] = []
        // Flags taking a value, per command (the global ones are handled here).
        let valued: Set<String> = ["--queue", "--spark-version", "--name", "--conf", "--state"]
        while !rest.isEmpty {
            let argument = rest.removeFirst()
            let (flag, inline) = splitInlineValue(argument)
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = rest.first, !(next.hasPrefix("-") && next.count > 1) else {
                    throw UsageError(message: "\(flag) needs a value")
                }
                rest.removeFirst()
                return next
            }
            switch flag {
            case "--url": connection.url = try nonEmpty(try value(), flag)
            case "--context": connection.context = try nonEmpty(try value(), flag)
            case "--user": connection.user = try nonEmpty(try value(), flag)
            case "--output", "-o":
                let text = try value()
                guard let format = OutputFormat(rawValue: text) else {
                    throw UsageError(message: "--output must be table, json or yaml, not '\(text)'")
                }
                output = format
            case "--password":
                throw UsageError(message: "there is no --password flag (it would show in the process list): use BPG_PASSWORD, the config file or the prompt")
            default:
                if argument == "-" || !argument.hasPrefix("-") {
                    positional.append(argument)
                } else if valued.contains(flag) {
                    flags.append((flag, try value()))
                } else {
                    guard inline == nil else { throw UsageError(message: "\(flag) takes no value") }
                    flags.append((flag, nil))
                }
            }
        }
        let command = try clientCommand(name, positional: positional, flags: flags)
        return .client(ClientInvocation(command: command, connection: connection, output: output))
    }

    private static func clientCommand(
        _ name: String, positional: [String], flags: [(name: String, value: String?)]
    ) throws(UsageError) -> ClientCommand {
        func allow(_ allowed: Set<String>) throws(UsageError) {
            if let unknown = flags.first(where: { !allowed.contains($0.name) }) {
                throw UsageError(message: "unknown option '\(unknown.name)' for \(name)")
            }
        }
        func has(_ flag: String) -> Bool { flags.contains { $0.name == flag } }
        func id() throws(UsageError) -> String {
            guard positional.count == 1, let id = positional.first, !id.isEmpty, id != "-" else {
                throw UsageError(message: positional.count > 1
                    ? "\(name) takes one submission ID, got \(positional.count) arguments" : "\(name) needs a submission ID")
            }
            return id
        }
        switch name {
        case "submit":
            try allow(["--queue", "--spark-version", "--name", "--conf", "--wait", "--logs"])
            guard positional.count == 1, let file = positional.first else {
                throw UsageError(message: positional.isEmpty
                    ? "submit needs a request FILE (or - for standard input)" : "submit takes one FILE, got \(positional.count) arguments")
            }
            var options = SubmitOptions(file: file)
            for (flag, value) in flags {
                switch flag {
                case "--queue": options.queue = try nonEmpty(value ?? "", flag)
                case "--spark-version": options.sparkVersion = try nonEmpty(value ?? "", flag)
                case "--name": options.name = try nonEmpty(value ?? "", flag)
                case "--conf":
                    let text = value ?? ""
                    guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                        throw UsageError(message: "--conf takes KEY=VALUE, not '\(text)'")
                    }
                    options.conf.append(.init(key: String(text[..<equals]), value: String(text[text.index(after: equals)...])))
                case "--wait": options.wait = true
                case "--logs":
                    options.logs = true
                    options.wait = true
                default: break
                }
            }
            return .submit(options)
        case "status":
            try allow(["--wait"])
            return .status(id: try id(), wait: has("--wait"))
        case "logs":
            try allow(["-f", "--follow"])
            return .logs(id: try id(), follow: has("-f") || has("--follow"))
        case "list":
            try allow(["--all", "--state"])
            guard positional.isEmpty else { throw UsageError(message: "unexpected argument '\(positional[0])' for list") }
            return .list(all: has("--all"), state: flags.last { $0.name == "--state" }?.value)
        case "describe":
            try allow([])
            return .describe(id: try id())
        case "delete":
            try allow([])
            return .delete(id: try id())
        case "clusters":
            try allow([])
            guard positional.isEmpty else { throw UsageError(message: "unexpected argument '\(positional[0])' for clusters") }
            return .clusters
        default:
            throw UsageError(message: "unknown command '\(name)'")
        }
    }

    private static func nonEmpty(_ value: String, _ flag: String) throws(UsageError) -> String {
        guard !value.isEmpty else { throw UsageError(message: "\(flag) must not be empty") }
        return value
    }

    private static func splitInlineValue(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
