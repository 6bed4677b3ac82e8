/// Parses `bpg` arguments. Hand-written because the design allows no Swift package dependencies
/// (swift-argument-parser included); the grammar is small.
enum CommandParser {
    static let usage = """
        usage: bpg <command> [options]

        commands:
          serve --config FILE     run the gateway with BPG's YAML (or JSON) config
          serve --dev             run with embedded defaults: SQLite store, two simulated clusters
          server [FILE]           BPG's command form (Dropwizard's): serve with FILE, else with the file
                                  named by $GZ_FILE_PATH (when it exists) or $CONFIG_FILE_PATH
          check-config FILE       validate a config file and print every problem (also: check FILE)
          queue-token             print a queue token for secure queues (BPG's token generator)
          simulate-cluster        run a simulated Spark-on-Kubernetes API server (kubectl works on it)
          submit, status, logs, list, describe, delete, clusters
                                  client commands against a running gateway (`bpg help client`)
          completion bash|zsh     print a shell completion script
          --version               print the version
          --help                  print this help; `bpg <command> --help` for a command

        """

    static let serveUsage = """
        usage: bpg serve (--config FILE | --dev) [options]
               bpg server [FILE] [options]     BPG's form; without FILE: $GZ_FILE_PATH if that file
                                               exists, else $CONFIG_FILE_PATH

        environment: BPG_MONITOR_ENABLED, else BPG's APP_MONITOR_ENABLED: false turns the monitor off

        options:
          --config FILE           BPG's config file (YAML or JSON; also gzipped, or base64 of gzip as
                                  BPG's Helm chart ships it)
          --dev                   embedded SQLite store and two simulated HTTPS clusters on loopback
          --host ADDRESS          bind address (default: 0.0.0.0 with --config, 127.0.0.1 with --dev)
          --port PORT             listen port (default: server.applicationConnectors[0].port, else 8080)
          --log-format json|logfmt  log line format (default json)
          --log-level LEVEL       trace, debug, info, notice, warning, error (default: the config's
                                  Dropwizard logging.level, else info)
          --admin-port PORT       admin port: /healthcheck, /ping, /metrics (default:
                                  server.adminConnectors[0].port, else 8081; off with --dev unless given)

        """

    static let simulateClusterUsage = """
        usage: bpg simulate-cluster [options]

        Runs one simulated Kubernetes API server with a simulated Spark operator, for kubectl and other
        tools (HTTPS with a throwaway development CA; never trust that CA elsewhere).

        options:
          --host ADDRESS          bind address (default 127.0.0.1)
          --port PORT             listen port (default 6443; 0 picks a free one)
          --token TOKEN           bearer token clients must send (default simulator-token)
          --no-auth               accept callers without a token
          --plain-http            serve HTTP instead of HTTPS
          --kubeconfig FILE       write a kubeconfig for this server to FILE (it holds the token)
          --step-ms N             milliseconds the operator spends in each state (default 2000)
          --crd FILE              validate SparkApplications against this CRD's schema, as a real API server

        """

    static let queueTokenUsage = """
        usage: bpg queue-token (--config FILE | --secret SECRET) --queue QUEUE [options]

        Prints an HS256 queue token (issuer admin, subject queueToken, allowedQueues [QUEUE]) that the
        gateway accepts for a secure queue, like BPG's QueueTokenGenerator. BPG's single-dash flags
        (-secret, -queue, -subject) work too.

        options:
          --config FILE           sign with queueTokenSOPS.secrets[0] of this config file (resolved as the
                                  gateway resolves it: plaintext:, localhost:env:, k8s:secret: in-cluster)
          --secret-index N        sign with queueTokenSOPS.secrets[N] instead
          --secret SECRET         sign with SECRET (visible to other local users in the process list;
                                  prefer --config)
          --queue QUEUE           a queue the token allows (repeat for several)
          --subject TEXT          the token's subject (default queueToken)
          --issuer admin|airflow  the token's issuer (default admin)
          --expires-in SECONDS    add an expiry (default: none, as BPG)

        """

    static let checkConfigUsage = """
        usage: bpg check-config FILE

        Loads FILE as the gateway would, prints every problem with its key path, and exits 1 when
        there is an error (warnings alone exit 0).

        """

    static func parse(_ arguments: [String]) throws(UsageError) -> Command {
        guard var first = arguments.first else { return .help(topic: nil) }
        var rest = Array(arguments.dropFirst())
        // Client flags may come before the command: `bpg --url URL status ID`.
        var leadingGlobals: [String] = []
        while ClientCommandParser.globalFlags.contains(where: { first == $0 || first.hasPrefix($0 + "=") }) {
            leadingGlobals.append(first)
            if !first.contains("="), let value = rest.first {
                leadingGlobals.append(value)
                rest.removeFirst()
            }
            guard let next = rest.first else { throw UsageError(message: "missing command after \(leadingGlobals.joined(separator: " "))") }
            first = next
            rest.removeFirst()
        }
        if ClientCommandParser.names.contains(first) || first == "completion" {
            return try ClientCommandParser.parse([first] + rest, leadingGlobals: leadingGlobals)
        }
        if !leadingGlobals.isEmpty { throw UsageError(message: "\(leadingGlobals[0]) applies to client commands only, not '\(first)'") }
        switch first {
        case "--version", "-V", "version":
            try expectNoArguments(rest, after: first)
            return .version
        case "--help", "-h", "help":
            return .help(topic: rest.first)
        case "serve":
            if rest.contains("--help") || rest.contains("-h") { return .help(topic: "serve") }
            return .serve(try parseServe(rest, bpgForm: false))
        case "server":
            // BPG (Dropwizard) is started as `server CONFIG`; the same options as serve apply.
            if rest.contains("--help") || rest.contains("-h") { return .help(topic: "serve") }
            return .serve(try parseServe(rest, bpgForm: true))
        case "queue-token":
            if rest.contains("--help") || rest.contains("-h") { return .help(topic: "queue-token") }
            return .queueToken(try parseQueueToken(rest))
        case "simulate-cluster":
            if rest.contains("--help") || rest.contains("-h") { return .help(topic: "simulate-cluster") }
            return .simulateCluster(try parseSimulator(rest))
        case "check-config", "check":
            // `check CONFIG` is Dropwizard's own validation command.
            if rest.contains("--help") || rest.contains("-h") { return .help(topic: "check-config") }
            guard rest.count == 1, let path = rest.first, !path.hasPrefix("-") else {
                throw UsageError(message: "check-config takes exactly one FILE argument")
            }
            return .checkConfig(path: path)
        default:
            throw UsageError(message: "unknown command '\(first)'")
        }
    }

    static func helpText(topic: String?) -> String {
        switch topic {
        case "serve": serveUsage
        case "check-config": checkConfigUsage
        case "simulate-cluster": simulateClusterUsage
        case "queue-token": queueTokenUsage
        case "server": serveUsage
        case "client", "completion": ClientCommandParser.usage
        case let name? where ClientCommandParser.names.contains(name): ClientCommandParser.usage
        default: usage
        }
    }

    private static func parseServe(_ arguments: [String], bpgForm: Bool) throws(UsageError) -> ServeOptions {
        var options = ServeOptions()
        options.bpgForm = bpgForm
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let (name, inlineValue) = splitInlineValue(argument)
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst(), !next.hasPrefix("--") else {
                    throw UsageError(message: "\(name) needs a value")
                }
                return next
            }
            switch name {
            case "--config", "-c": options.configPath = try value()
            case "--dev":
                guard inlineValue == nil else { throw UsageError(message: "--dev takes no value") }
                options.dev = true
            case "--host": options.host = try value()
            case "--port", "-p":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw UsageError(message: "--port must be a number from 0 to 65535, not '\(text)'")
                }
                options.port = port
            case "--log-format":
                let text = try value()
                guard let format = ServeOptions.LogFormat(rawValue: text) else {
                    throw UsageError(message: "--log-format must be json or logfmt, not '\(text)'")
                }
                options.logFormat = format
            case "--log-level":
                options.logLevel = try value()
            case "--admin-port":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw UsageError(message: "--admin-port must be a number from 0 to 65535, not '\(text)'")
                }
                options.adminPort = port
            default:
                if bpgForm, !argument.hasPrefix("-"), options.configPath == nil {
                    options.configPath = argument
                    continue
                }
                throw UsageError(message: "unknown option '\(argument)' for \(bpgForm ? "server" : "serve")")
            }
        }
        switch (options.dev, options.configPath) {
        case (false, nil) where bpgForm: return options
        case (false, nil): throw UsageError(message: "serve needs --config FILE or --dev")
        case (true, .some): throw UsageError(message: "serve takes --config or --dev, not both")
        default: return options
        }
    }

    private static func parseSimulator(_ arguments: [String]) throws(UsageError) -> SimulatorOptions {
        var options = SimulatorOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let (name, inlineValue) = splitInlineValue(argument)
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst(), !next.hasPrefix("--") else {
                    throw UsageError(message: "\(name) needs a value")
                }
                return next
            }
            switch name {
            case "--host": options.host = try value()
            case "--port", "-p":
                let text = try value()
                guard let port = Int(text), (0...65535).contains(port) else {
                    throw UsageError(message: "--port must be a number from 0 to 65535, not '\(text)'")
                }
                options.port = port
            case "--token":
                let token = try value()
                guard !token.isEmpty else { throw UsageError(message: "--token must not be empty (use --no-auth)") }
                options.token = token
            case "--no-auth": options.token = nil
            case "--plain-http": options.useTLS = false
            case "--kubeconfig": options.kubeconfigPath = try value()
            case "--crd": options.crdPath = try value()
            case "--step-ms":
                let text = try value()
                guard let step = Int(text), step >= 0 else {
                    throw UsageError(message: "--step-ms must be a whole number of milliseconds, not '\(text)'")
                }
                options.stepMillis = step
            default:
                throw UsageError(message: "unknown option '\(argument)' for simulate-cluster")
            }
        }
        return options
    }

    private static func parseQueueToken(_ arguments: [String]) throws(UsageError) -> QueueTokenOptions {
        var options = QueueTokenOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            var (name, inlineValue) = splitInlineValue(argument)
            // BPG's generator takes single-dash flags (`-secret s -queue q`).
            if name.hasPrefix("-"), !name.hasPrefix("--"), name.count > 2 { name = "-" + name }
            func value() throws(UsageError) -> String {
                if let inlineValue { return inlineValue }
                guard let next = remaining.popFirst(), !next.hasPrefix("-") else {
                    throw UsageError(message: "\(name) needs a value")
                }
                return next
            }
            switch name {
            case "--secret": options.secret = try value()
            case "--config", "-c": options.configPath = try value()
            case "--secret-index":
                let text = try value()
                guard let index = Int(text), index >= 0 else {
                    throw UsageError(message: "--secret-index must be a whole number, not '\(text)'")
                }
                options.secretIndex = index
            case "--queue":
                let queue = try value()
                guard !queue.isEmpty else { throw UsageError(message: "--queue must not be empty") }
                options.queues.append(queue)
            case "--subject": options.subject = try value()
            case "--issuer": options.issuer = try value()
            case "--expires-in":
                let text = try value()
                guard let seconds = Int(text), seconds > 0, seconds <= 10 * 365 * 86_400 else {
                    throw UsageError(message: "--expires-in must be a number of seconds from 1 to ten years, not '\(text)'")
                }
                options.expiresInSeconds = seconds
            default:
                throw UsageError(message: "unknown option '\(argument)' for queue-token")
            }
        }
        guard options.queues.count > 0 else { throw UsageError(message: "queue-token needs --queue QUEUE") }
        switch (options.secret, options.configPath) {
        case (nil, nil): throw UsageError(message: "queue-token needs --config FILE or --secret SECRET")
        case (.some, .some): throw UsageError(message: "queue-token takes --config or --secret, not both")
        case (.some(let secret), nil) where secret.isEmpty: throw UsageError(message: "--secret must not be empty")
        default: return options
        }
    }

    /// `--port=8080` → ("--port", "8080").
    private static func splitInlineValue(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func expectNoArguments(_ arguments: [String], after command: String) throws(UsageError) {
        if let extra = arguments.first {
            throw UsageError(message: "unexpected argument '\(extra)' after \(command)")
        }
    }
}
