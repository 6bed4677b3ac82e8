import CostRouting
import Gateway
import GatewayCore
import HTTPServing
import Logging
import Persistence

/// A tiny service that embeds the gateway: its own HTTP server answers `GET /hello` and serves BPG's
/// API, `/metrics` and the OpenAPI document under a prefix (`/spark-gateway/skatev2/spark`, …). Jobs
/// go to the cheapest cluster BPG's rules allow, skipping clusters whose health is down.
///
/// ```swift
/// let portal = try await Portal.start(Portal.Options(configuration: configuration, costRates: rates, users: users))
/// // … serve until a signal …
/// await portal.shutdown()
/// ```
public final class Portal: Sendable {
    public struct Options: Sendable {
        /// The gateway's configuration: BPG's file format, here as a value.
        public var configuration: GatewayConfiguration
        /// Cost per vCore-hour by cluster id: the portal's own table (BPG's `vCoreSecondCost` is one
        /// rate for every cluster).
        public var costRates: [String: Double]
        /// Bearer tokens and the users they stand for.
        public var users: [String: AuthenticatedUser]
        /// Where the gateway's routes are mounted.
        public var prefix = "/spark-gateway"
        public var host = "127.0.0.1"
        /// 0 picks a free port (tests); see ``Portal/port``.
        public var port = 8080
        public var logger: Logger = .disabled

        public init(configuration: GatewayConfiguration, costRates: [String: Double], users: [String: AuthenticatedUser]) {
            self.configuration = configuration
            self.costRates = costRates
            self.users = users
        }
    }

    /// The embedded gateway: `gateway.submissions.submit(…)` submits without HTTP.
    public let gateway: GatewayService
    private let server: HTTPServer

    /// The port the portal listens on (the chosen one when `port` was 0).
    public var port: Int { server.port }

    private init(gateway: GatewayService, server: HTTPServer) {
        self.gateway = gateway
        self.server = server
    }

    /// Builds the gateway, mounts its routes next to the portal's own, starts serving, then starts the
    /// gateway's background work (health probes, application monitors, the unknown-outcome resolver).
    public static func start(_ options: Options) async throws -> Portal {
        var gatewayOptions = GatewayService.Options(configuration: options.configuration)
        gatewayOptions.logger = options.logger
        // Replaces `gateway.store`: the portal keeps records in memory (a real one would pass its
        // SQLite or MySQL store, or leave this nil and configure `gateway.store`).
        gatewayOptions.store = InMemorySubmissionStore()
        // Replaces `gateway.routing.strategy` and `skipUnhealthyClusters`, so the health wrapping is ours to add.
        gatewayOptions.routingPolicy = HealthAwarePolicy(wrapping: CheapestClusterPolicy(rates: options.costRates))
        gatewayOptions.authenticator = PortalAuthenticator(users: options.users)
        let gateway = try await GatewayService.open(gatewayOptions)

        var router = HTTPRouterBuilder()
        router.add(.get, "/hello") { _ in .text("hello from the portal\n") }
        gateway.register(into: &router, prefix: options.prefix)

        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = options.host
        serverConfiguration.port = options.port
        serverConfiguration.logger = options.logger.withLabel("portal.http")
        let server = HTTPServer(configuration: serverConfiguration, responder: router.build())
        do {
            try server.start()
        } catch {
            // Nothing runs in the background yet: closing the clients and the store is enough.
            await gateway.shutdown()
            throw error
        }
        gateway.startBackgroundWork()
        return Portal(gateway: gateway, server: server)
    }

    /// Stops accepting and drains in-flight requests first (they may still be submitting), then lets
    /// the gateway finish its creates, stop its background work and close its clients and store.
    public func shutdown() async {
        await server.shutdown(gracePeriod: .seconds(5))
        await gateway.shutdown()
    }
}
