import GatewayClient

/// What the `bpg` executable was asked to do, parsed from its arguments.
enum Command: Equatable {
    /// A client command against a running gateway (`submit`, `status`, `logs`, …).
    case client(ClientInvocation)
    /// Print a shell completion script.
    case completion(shell: String)
    /// Run the gateway.
    case serve(ServeOptions)
    /// Validate a config file and print every problem.
    case checkConfig(path: String)
    /// Run one simulated Spark-on-Kubernetes API server, for kubectl or other tools.
    case simulateCluster(SimulatorOptions)
    /// Print a queue token for secure queues (BPG's token generator).
    case queueToken(QueueTokenOptions)
    case version
    case help(topic: String?)
}

/// Options of `bpg serve`.
struct ServeOptions: Equatable {
    /// BPG's YAML (or JSON) config file, plain, gzipped or base64 of gzip; nil with `--dev`, and with
    /// BPG's `server` form without a file (then the environment names it: `LaunchEnvironment`).
    var configPath: String?
    /// Started as BPG is (`bpg server [CONFIG]`): the file may come from the environment.
    var bpgForm = false
    /// Dev mode: embedded SQLite store and two simulated clusters on loopback.
    var dev = false
    var host: String?
    var port: Int?
    var logFormat: LogFormat = .json
    /// nil: Dropwizard's `logging.level` from the config, else `info`.
    var logLevel: String?
    /// The admin port (`/healthcheck`, `/ping`, `/metrics`); nil: `server.adminConnectors[0].port`,
    /// else 8081 (off in dev mode unless given).
    var adminPort: Int?

    enum LogFormat: String, Equatable {
        case json, logfmt
    }
}

/// Options of `bpg simulate-cluster`.
struct SimulatorOptions: Equatable {
    var host = "127.0.0.1"
    var port = 6443
    /// The bearer token clients must send; nil accepts any caller.
    var token: String? = "simulator-token"
    var useTLS = true
    /// Where to write a kubeconfig for kubectl (it holds the token: a private file).
    var kubeconfigPath: String?
    /// Milliseconds the simulated operator spends in each state.
    var stepMillis = 2_000
    /// A SparkApplication CRD file whose schema prunes, defaults and validates applications.
    var crdPath: String?
}

/// Options of `bpg queue-token`.
struct QueueTokenOptions: Equatable {
    /// The HMAC secret itself (BPG's `-secret`); or take it from `configPath`.
    var secret: String?
    /// A config file whose `queueTokenSOPS.secrets[secretIndex]` signs the token.
    var configPath: String?
    var secretIndex = 0
    var queues: [String] = []
    var subject = "queueToken"
    var issuer = "admin"
    /// Seconds until the token expires; nil: never, as BPG's tokens.
    var expiresInSeconds: Int?
}

/// A command-line mistake: printed with a pointer to `--help`, exit status 2.
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
