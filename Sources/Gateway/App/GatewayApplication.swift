import Foundation
import GatewayCore
import HTTPServing
import Logging
import Persistence

/// The bundled gateway: a ``GatewayService`` served by its own HTTP server, as `bpg serve` runs it.
/// `shutdown()` stops accepting, drains in-flight requests, then shuts the service down.
public final class GatewayApplication: Sendable {
    /// The service's options plus where and how the bundled server listens.
    public struct Options: Sendable {
        public var service: GatewayService.Options
        public var host: String = "0.0.0.0"
        public var port: Int = 8080
        public var maxBodyBytes: Int = 10 << 20
        /// Where BPG's admin endpoints (`/healthcheck`, `/ping`, `/metrics` in Dropwizard's shapes)
        /// listen; nil (the default for embedders and tests) serves none. `bpg serve` sets it from
        /// `server.adminConnectors` (default port 8081).
        public var adminPort: Int?
        /// The admin endpoints' bind address; nil: the same as `host`.
        public var adminHost: String?

        public init(configuration: GatewayConfiguration) {
            service = GatewayService.Options(configuration: configuration)
        }

        public var configuration: GatewayConfiguration {
            get { service.configuration }
            set { service.configuration = newValue }
        }
        public var environment: [String: String] {
            get { service.environment }
            set { service.environment = newValue }
        }
        public var logger: Logger {
            get { service.logger }
            set { service.logger = newValue }
        }
        public var store: (any SubmissionStore)? {
            get { service.store }
            set { service.store = newValue }
        }
        public var shutdownGracePeriod: Duration {
            get { service.shutdownGracePeriod }
            set { service.shutdownGracePeriod = newValue }
        }
        public var unknownOutcomeResolveInterval: Duration {
            get { service.unknownOutcomeResolveInterval }
            set { service.unknownOutcomeResolveInterval = newValue }
        }
        var monitor: MonitorSettings {
            get { service.monitor }
            set { service.monitor = newValue }
        }
        var metricsProviders: GatewayMetrics.Providers {
            get { service.metricsProviders }
            set { service.metricsProviders = newValue }
        }
    }

    /// The gateway itself.
    public let service: GatewayService
    let server: HTTPServer
    /// BPG's admin port, when `Options.adminPort` was set.
    let adminServer: HTTPServer?
    /// Every route the server answers (method and full pattern), as registered.
    let routeTable: [RegisteredRoute]
    private let options: Options

    /// The port the server listens on (the chosen one when `port` was 0).
    public var port: Int { server.port }
    /// The admin port (the chosen one when `adminPort` was 0); nil when no admin server runs.
    public var adminPort: Int? { adminServer?.port }
    public var store: any SubmissionStore { service.store }
    public var submissions: SubmissionService { service.submissions }
    var clusters: ClusterDirectory { service.clusters }
    var health: ClusterHealthTracker { service.health }
    var monitors: ApplicationMonitors? { service.monitors }
    var metrics: GatewayMetrics { service.metrics }

    private init(
        service: GatewayService, server: HTTPServer, adminServer: HTTPServer?, routeTable: [RegisteredRoute], options: Options
    ) {
        self.service = service
        self.server = server
        self.adminServer = adminServer
        self.routeTable = routeTable
        self.options = options
    }

    /// Opens the store, connects the clusters, starts the background work and starts serving.
    public static func start(_ options: Options) async throws -> GatewayApplication {
        let configuration = options.configuration
        let logger = options.logger
        let service = try await GatewayService.open(options.service)
        var router = RouteTable()
        service.register(into: &router)
        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = options.host
        serverConfiguration.port = options.port
        // Buffered bodies only: the artifact upload streams its body under its own limit
        // (gateway.objectStorage.maxUploadBytes, set where the route is registered).
        serverConfiguration.maxBodyBytes = options.maxBodyBytes
        serverConfiguration.maxConnections = configuration.gateway.http.maxConnections
        serverConfiguration.maxConnectionsPerAddress = configuration.gateway.http.maxConnectionsPerAddress
        serverConfiguration.headerTimeout = .seconds(configuration.gateway.http.headerTimeoutSeconds)
        serverConfiguration.logger = logger.withLabel("bpg.http")
        let server = HTTPServer(configuration: serverConfiguration, responder: router.build())
        do {
            try server.start()
        } catch {
            await service.shutdown()
            throw error
        }
        var adminServer: HTTPServer?
        if let adminPort = options.adminPort {
            var adminRouter = HTTPRouterBuilder()
            AdminEndpoints(clusterCount: service.clusters.clusters.count, metrics: service.metrics).register(into: &adminRouter)
            var adminConfiguration = HTTPServerConfiguration()
            adminConfiguration.host = options.adminHost ?? options.host
            adminConfiguration.port = adminPort
            adminConfiguration.maxBodyBytes = 64 << 10
            // A probe and a scraper: a few connections, kept apart from the API's so a flood there
            // does not fail the liveness probe.
            adminConfiguration.maxConnections = 64
            adminConfiguration.maxConnectionsPerAddress = 32
            adminConfiguration.threadCount = 1
            adminConfiguration.logger = logger.withLabel("bpg.admin")
            let admin = HTTPServer(configuration: adminConfiguration, responder: adminRouter.build())
            do {
                try admin.start()
            } catch {
                await server.shutdown(gracePeriod: .zero)
                await service.shutdown()
                throw error
            }
            adminServer = admin
        }
        service.startBackgroundWork()
        logger.info(
            "gateway started",
            metadata: [
                "address": "\(options.host):\(server.port)", "context_path": configuration.applicationContextPath,
                "admin_address": adminServer.map { "\(options.adminHost ?? options.host):\($0.port)" } ?? "off",
                "store": service.storeDescription, "clusters": service.clusters.clusters.map(\.id).joined(separator: ","),
                "auth_mode": configuration.gateway.auth.mode.rawValue,
            ])
        return GatewayApplication(
            service: service, server: server, adminServer: adminServer, routeTable: router.routes, options: options)
    }

    /// Stop accepting, drain in-flight requests within the grace period, then shut the service down.
    public func shutdown() async {
        options.logger.info("gateway stopping")
        // Open status streams end first: the drain would otherwise wait out its grace period on them.
        service.endStatusStreams()
        await server.shutdown(gracePeriod: options.shutdownGracePeriod)
        await service.shutdown()
        // Last: the liveness probe keeps answering while the API drains.
        await adminServer?.shutdown(gracePeriod: .seconds(1))
        options.logger.info("gateway stopped")
    }
}
