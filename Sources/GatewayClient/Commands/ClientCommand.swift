/// A `bpg` client command, as parsed from the command line (the parsing itself lives in the
/// executable; everything it asks for happens in ``ClientRunner``).
public enum ClientCommand: Sendable, Equatable {
    /// `bpg submit FILE|-`.
    case submit(SubmitOptions)
    /// `bpg status ID [--wait]`.
    case status(id: String, wait: Bool)
    /// `bpg logs ID [-f]`.
    case logs(id: String, follow: Bool)
    /// `bpg list [--all] [--state S]`.
    case list(all: Bool, state: String?)
    /// `bpg describe ID`.
    case describe(id: String)
    /// `bpg delete ID`.
    case delete(id: String)
    /// `bpg clusters` (admins).
    case clusters
}

/// `bpg submit`'s options.
public struct SubmitOptions: Sendable, Equatable {
    /// A JSON or YAML request file, or `-` for standard input.
    public var file: String
    /// Overrides the request's `queue`.
    public var queue: String?
    /// Overrides the request's `sparkVersion`.
    public var sparkVersion: String?
    /// Overrides the request's `applicationName`.
    public var name: String?
    /// `--conf key=value`, in order: set in the request's `sparkConf` (later ones win).
    public var conf: [Setting] = []
    /// Wait for the job to end; the exit status tells how it ended.
    public var wait = false
    /// With `wait`: follow the driver log on standard output while the job runs.
    public var logs = false

    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(file: String) { self.file = file }

    /// True when the request must be rewritten before it is sent.
    var hasOverrides: Bool { queue != nil || sparkVersion != nil || name != nil || !conf.isEmpty }
}

/// A whole client invocation: the command, where to connect, how to print.
public struct ClientInvocation: Sendable, Equatable {
    public var command: ClientCommand
    public var connection: ConnectionFlags
    public var output: OutputFormat

    public init(command: ClientCommand, connection: ConnectionFlags = ConnectionFlags(), output: OutputFormat = .table) {
        self.command = command
        self.connection = connection
        self.output = output
    }
}
