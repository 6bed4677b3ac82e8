/// What the `bpg` executable was asked to do, parsed from its arguments.
enum Command: Equatable {
    /// Run the gateway.
    case serve(ServeOptions)
    /// Validate a config file and print every problem.
    case checkConfig(path: String)
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

/// A command-line mistake: printed with a pointer to `--help`, exit status 2.
struct UsageError: Error, Equatable, CustomStringConvertible {
    var message: String
    var description: String { message }
}
