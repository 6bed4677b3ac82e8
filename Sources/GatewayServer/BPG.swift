import Foundation
import Gateway
import GatewayClient
import GatewayCore
import KubeSimulator
import Logging

/// The `bpg` executable: parses the command line and runs the chosen command.
@main
enum BPG {
    static let version = GatewayVersion.current

    static func main() async {
        let command: Command
        do {
            command = try CommandParser.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            // One line, so a script's log shows the whole mistake.
            printError("bpg: \(error.message) (run 'bpg --help' for usage)")
            exit(2)
        }
        switch command {
        case .client(let invocation):
            let environment = ProcessInfo.processInfo.environment
            let runner = ClientRunner(console: StandardConsole(environment: environment), environment: environment)
            exit(await runner.run(invocation).rawValue)
        case .completion(let shell):
            print(CompletionScript.script(for: shell) ?? "", terminator: "")
        case .version:
            print("bpg \(version)")
        case .help(let topic):
            print(CommandParser.helpText(topic: topic), terminator: "")
        case .checkConfig(let path):
            exit(checkConfig(path: path))
        case .serve(let options):
            exit(await serve(options))
        case .simulateCluster(let options):
            exit(await simulateCluster(options))
        case .queueToken(let options):
            exit(await queueToken(options))
        }
    }

    /// Runs one simulated cluster until SIGTERM/SIGINT, printing how to reach it.
    static func simulateCluster(_ options: SimulatorOptions) async -> Int32 {
        let signals = SignalWaiter()
        var configuration = SimulatedClusterConfiguration()
        configuration.host = options.host
        configuration.port = options.port
        configuration.bearerToken = options.token
        configuration.useTLS = options.useTLS
        configuration.operatorTimings = .uniform(.milliseconds(options.stepMillis))
        configuration.logger = Logger(label: "bpg.simulator", level: .info, handler: JSONLinesLogHandler.standardError)
        if let path = options.crdPath {
            do {
                configuration.crd = try CustomResourceDefinition(contentsOf: URL(fileURLWithPath: path))
            } catch {
                printError("bpg: \(error)")
                return 1
            }
        }
        let cluster = SimulatedCluster(configuration: configuration)
        do {
            try cluster.start()
            if let path = options.kubeconfigPath {
                // The kubeconfig holds the token: readable by its owner only.
                let written = FileManager.default.createFile(
                    atPath: path, contents: Data(cluster.kubeconfig(namespace: "default").utf8),
                    attributes: [.posixPermissions: 0o600])
                if !written { throw UsageError(message: "cannot write the kubeconfig to \(path)") }
            }
        } catch {
            printError("bpg: cannot start the simulated cluster: \(error)")
            await cluster.shutdown()
            return 1
        }
        print("Simulated Spark-on-Kubernetes API server at \(cluster.baseURL)")
        if let token = options.token { print("  bearer token: \(token)") }
        if let path = options.kubeconfigPath {
            print("  kubeconfig:   \(path)   (try: kubectl --kubeconfig \(path) get sparkapplications -A)")
        }
        print("Press Ctrl-C to stop.")
        fflush(nil)
        _ = await signals.wait()
        await cluster.shutdown()
        return 0
    }

    /// Prints every problem of a config file; exit status 1 when it cannot be used.
    static func checkConfig(path: String) -> Int32 {
        do {
            let file = try ConfigurationFile.load(path: path)
            let loaded = file.configuration
            for key in loaded.unknownKeys { print("warning: \(key): unknown key, ignored") }
            let unsupported = loaded.configuration.unsupportedSettings
            for setting in unsupported { print("warning: \(setting)") }
            let configuration = loaded.configuration
            print(
                "\(path): OK (\(file.form == .plain ? "" : "\(file.form.rawValue), ")\(configuration.sparkClusters.count) cluster(s), "
                    + "\(configuration.queues?.count ?? 0) queue(s), \(loaded.unknownKeys.count + unsupported.count) warning(s))")
            return 0
        } catch {
            printError(error.description)
            return 1
        }
    }

    /// Prints a queue token (BPG's QueueTokenGenerator).
    static func queueToken(_ options: QueueTokenOptions) async -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let secret: String
        do {
            if let given = options.secret {
                secret = given
            } else {
                let file = try ConfigurationFile.load(path: options.configPath ?? "")
                secret = try await QueueTokenIssuer.configuredSecret(
                    file.configuration.configuration, index: options.secretIndex, environment: environment)
            }
        } catch {
            printError("bpg: \(error)")
            return 1
        }
        let request = QueueTokenIssuer.Request(
            queues: options.queues, subject: options.subject, issuer: options.issuer,
            lifetime: options.expiresInSeconds.map { .seconds($0) })
        do {
            try QueueTokenIssuer.validate(request, secret: secret)
        } catch {
            printError("bpg: \(error)")
            return 2
        }
        print(QueueTokenIssuer.issue(request, secret: secret))
        return 0
    }

    static func serve(_ options: ServeOptions) async -> Int32 {
        let handler: any LogHandler =
            options.logFormat == .json ? JSONLinesLogHandler.standardError : LogfmtLogHandler.standardError
        func makeLogger(_ name: String?) -> Logger? {
            Logger.Level(name: name ?? "info").map { Logger(label: "bpg", level: $0, handler: RequestIDLogHandler(wrapped: handler)) }
        }
        guard var logger = makeLogger(options.logLevel) else {
            printError("bpg: --log-level must be one of trace, debug, info, notice, warning, error, critical")
            return 2
        }
        let environment = ProcessInfo.processInfo.environment
        let monitorEnabled: Bool
        do {
            monitorEnabled = try LaunchEnvironment.monitorEnabled(environment: environment)
        } catch {
            printError("bpg: \(error)")
            return 2
        }
        // Installed before anything starts, so a SIGTERM during startup is kept and honoured once ready.
        let signals = SignalWaiter()

        var dev: DevEnvironment?
        let loaded: LoadedConfiguration
        var form = EncodedConfiguration.Form.plain
        var configPath = options.configPath
        do {
            if options.dev {
                // BPG_CRD_PATH: the SparkApplication CRD the simulated clusters validate against, as real ones do.
                let crd = try ProcessInfo.processInfo.environment["BPG_CRD_PATH"].map { try CustomResourceDefinition(contentsOf: URL(fileURLWithPath: $0)) }
                let environment = try await DevEnvironment.start(sqlitePath: "bpg-data/dev.sqlite", logger: logger) { $0.crd = crd }
                dev = environment
                loaded = environment.configuration
            } else {
                let path = try options.bpgForm
                    ? LaunchEnvironment.configPath(explicit: options.configPath, environment: environment)
                    : options.configPath ?? ""
                configPath = path
                let file = try ConfigurationFile.load(path: path)
                loaded = file.configuration
                form = file.form
            }
        } catch {
            logger.critical("cannot load the configuration", metadata: ["error": "\(error)"])
            printError("bpg: \(error)")
            return 1
        }
        // Dropwizard's `logging.level` sets the threshold unless --log-level did.
        if options.logLevel == nil, let level = loaded.configuration.dropwizardLogLevel, let configured = makeLogger(level) {
            logger = configured
        }
        if let configPath, form != .plain {
            logger.info("configuration file decoded", metadata: ["file": configPath, "form": form.rawValue])
        }
        for key in loaded.unknownKeys {
            logger.warning("unknown configuration key ignored", metadata: ["key": key])
        }
        for setting in loaded.configuration.unsupportedSettings {
            logger.warning("configuration key not supported", metadata: ["key": setting.key, "reason": setting.reason])
        }

        var application = GatewayApplication.Options(configuration: loaded.configuration)
        application.environment = environment
        application.logger = logger
        application.service.monitorEnabled = monitorEnabled
        let connector = loaded.configuration.server?.applicationConnectors?.first
        application.host = options.host ?? connector?.bindHost ?? (options.dev ? "127.0.0.1" : "0.0.0.0")
        application.port = options.port ?? connector?.port ?? 8080
        if let port = options.adminPort {
            application.adminPort = port
        } else if !options.dev, let admin = ServerConfiguration.adminEndpoint(loaded.configuration.server) {
            application.adminPort = admin.port
            application.adminHost = admin.host
        }

        let gateway: GatewayApplication
        do {
            gateway = try await GatewayApplication.start(application)
        } catch {
            logger.critical("cannot start the gateway", metadata: ["error": "\(error)"])
            printError("bpg: cannot start: \(error)")
            await dev?.shutdown()
            return 1
        }
        if dev != nil { print(DevEnvironment.banner(port: gateway.port)) }
        fflush(nil)

        let signalNumber = await signals.wait()
        logger.info("shutting down", metadata: ["signal": "\(signalNumber)"])
        await gateway.shutdown()
        await dev?.shutdown()
        return 0
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
