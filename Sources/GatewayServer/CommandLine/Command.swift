/// What the `bpg` executable was asked to do, parsed from its arguments.
enum Command: Equatable {
    /// Run the gateway.
    case serve(ServeOptions)
    /// Validate a config file and print every problem.
    case checkConfig(path: String)
    /// Run one simulated Spark-on-Kubernetes API server, for kubectl or other tools.
    case simulateCluster(SimulatorOptions)
    case version
    case help(topic: String?)
}

/// Options of `bpg serve`.
struct ServeOptions: Equatable {
    /// BPG's YAML (or JSON) config file; nil with `--dev`.
    var configPath: String?
    /// Dev mode: embedded SQLite store and two simulated clusters on loopback.
    var dev = false
    var host: String?
    var port: Int?
    var logFormat: LogFormat = .json
    var logLevel: String = "info"

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

/// A command-line mistake: printed with a pointer to `--help`, exit status 2.
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
