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
    /// Every route the server answers (method and full pattern), as registered.
    let routeTable: [RegisteredRoute]
    private let options: Options

    /// The port the server listens on (the chosen one when `port` was 0).
    public var port: Int { server.port }
    public var store: any SubmissionStore { service.store }
    public var submissions: SubmissionService { service.submissions }
    var clusters: ClusterDirectory { service.clusters }
    var health: ClusterHealthTracker { service.health }
    var monitors: ApplicationMonitors? { service.monitors }
    var metrics: GatewayMetrics { service.metrics }

    private init(service: GatewayService, server: HTTPServer, routeTable: [RegisteredRoute], options: Options) {
        self.service = service
        self.server = server
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
        // The server reads a whole body before routing; an upload bucket needs room for its uploads.
        serverConfiguration.maxBodyBytes = max(
            options.maxBodyBytes, (options.configuration.s3Bucket ?? "").isEmpty ? 0 : options.configuration.gateway.objectStorage.maxUploadBytes)
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
        service.startBackgroundWork()
        logger.info(
            "gateway started",
            metadata: [
                "address": "\(options.host):\(server.port)", "context_path": configuration.applicationContextPath,
                "store": service.storeDescription, "clusters": service.clusters.clusters.map(\.id).joined(separator: ","),
                "auth_mode": configuration.gateway.auth.mode.rawValue,
            ])
        return GatewayApplication(service: service, server: server, routeTable: router.routes, options: options)
    }

    /// Stop accepting, drain in-flight requests within the grace period, then shut the service down.
    public func shutdown() async {
        options.logger.info("gateway stopping")
        await server.shutdown(gracePeriod: options.shutdownGracePeriod)
        await service.shutdown()
        options.logger.info("gateway stopped")
    }
}
