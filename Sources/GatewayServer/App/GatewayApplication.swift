import Cryptography
import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import Logging
import Persistence

/// The running gateway: HTTP server, cluster clients and the store, composed from a configuration.
/// `shutdown()` stops accepting, drains in-flight requests, then closes clients and the store.
final class GatewayApplication: Sendable {
    struct Options: Sendable {
        var configuration: GatewayConfiguration
        var host: String = "0.0.0.0"
        var port: Int = 8080
        var environment: [String: String] = [:]
        var logger: Logger = .disabled
        /// Overrides the configured store (tests, dev mode).
        var store: (any SubmissionStore)? = nil
        var maxBodyBytes: Int = 10 << 20
        var shutdownGracePeriod: Duration = .seconds(10)
        var version = VersionInfo(version: BPG.version)
        /// The application monitor (on by default; `BPG_MONITOR_ENABLED=false` turns it off).
        var monitor = MonitorSettings()
        /// Values `/metrics` reads from other components (cluster health, monitor); empty by default.
        var metricsProviders = GatewayMetrics.Providers()
        /// How often records of unknown create outcome are settled (``UnknownOutcomeResolver``).
        var unknownOutcomeResolveInterval: Duration = .seconds(10)
    }

    let server: HTTPServer
    let clusters: ClusterDirectory
    let store: any SubmissionStore
    let storeDescription: String
    /// Per-cluster circuit breakers and probes (`gateway.health`), and the failover count.
    let health: ClusterHealthTracker
    /// Every route the server answers (method and full pattern), as registered.
    let routeTable: [RegisteredRoute]
    /// The `/metrics` registry; other components set its providers with `metrics.updateProviders`.
    let metrics: GatewayMetrics
    private let options: Options
    /// Per-cluster application monitors; nil when disabled.
    let monitors: ApplicationMonitors?
    /// The submission pipeline (its in-flight creates are drained at shutdown).
    let submissions: SubmissionService
    /// Settles records of unknown create outcome.
    let resolver: UnknownOutcomeResolver

    var port: Int { server.port }

    private init(
        server: HTTPServer, clusters: ClusterDirectory, store: any SubmissionStore, storeDescription: String,
        options: Options, routeTable: [RegisteredRoute] = [], metrics: GatewayMetrics = GatewayMetrics(),
        health: ClusterHealthTracker, monitors: ApplicationMonitors?, submissions: SubmissionService,
        resolver: UnknownOutcomeResolver
    ) {
        self.submissions = submissions
        self.resolver = resolver
        self.routeTable = routeTable
        self.metrics = metrics
        self.health = health
        self.monitors = monitors
        self.server = server
        self.clusters = clusters
        self.store = store
        self.storeDescription = storeDescription
        self.options = options
    }

    /// Opens the store, connects the clusters, and starts serving.
    static func start(_ options: Options) async throws -> GatewayApplication {
        let configuration = options.configuration
        let logger = options.logger

        // Checked first: a bad auth setting must not leave a store or clients open.
        let authenticator = try makeAuthenticator(configuration)
        let opened: StoreFactory.Opened
        if let store = options.store {
            opened = StoreFactory.Opened(store: store, description: "provided")
        } else {
            opened = try await StoreFactory.open(configuration, environment: options.environment, logger: logger)
        }
        let clusters: ClusterDirectory
        do {
            clusters = try await ClusterDirectory.connect(configuration, environment: options.environment, logger: logger)
        } catch {
            await opened.store.shutdown()
            throw error
        }
        // Resolved like every other secret-valued setting, with the same local cluster for `k8s:secret:`.
        let queueTokenVerifier: QueueTokenVerification
        do {
            queueTokenVerifier = try await QueueTokenVerification.resolving(
                configuration.queueTokenSOPS,
                resolver: SecretValueResolver(
                    environment: options.environment, localCluster: clusters.localCluster,
                    localNamespace: clusters.localCluster?.defaultNamespace))
        } catch {
            await clusters.shutdown()
            await opened.store.shutdown()
            throw error
        }

        let monitors = options.monitor.enabled
            ? ApplicationMonitors(
                clusters: clusters, store: opened.store, configuration: configuration, settings: options.monitor,
                logger: logger.withLabel("bpg.monitor"))
            : nil
        let metrics = GatewayMetrics(providers: options.metricsProviders)
        if let monitors {
            metrics.updateProviders {
                $0.monitorEvents = { monitors.eventsByCluster() }
                $0.monitorLagSeconds = { monitors.lagSecondsByCluster() }
            }
        }
        let planner = SubmissionPlanner(configuration: configuration, queueTokenVerifier: queueTokenVerifier)
        let health = ClusterHealthTracker(
            clusters: clusters.clusters, settings: configuration.gateway.health, logger: logger.withLabel("bpg.health"))
        let window = Duration.seconds(configuration.gateway.routing.unknownOutcomeWindowSeconds)
        let fencing = AttemptFencing(
            store: opened.store, sweeper: FenceSweeper(window: window, logger: logger.withLabel("bpg.fence")),
            logger: logger.withLabel("bpg.fence"))
        let resolver = UnknownOutcomeResolver(
            clusters: clusters, store: opened.store, fencing: fencing, window: window,
            interval: options.unknownOutcomeResolveInterval, logger: logger.withLabel("bpg.fence"))
        var submissions = SubmissionService(
            planner: planner, clusters: clusters, store: opened.store, routing: { health.routingSnapshot() },
            logger: logger.withLabel("bpg.submit"), fencing: fencing, inFlight: InFlightWork(), health: health)
        submissions.metrics = metrics
        metrics.updateProviders { [store = opened.store] in
            $0.clusterUp = { health.clusterUp() }
            $0.storePool = { store.poolStatistics }
        }
        if let monitors { health.setLoadProvider { monitors.load() } }
        var queries = ApplicationQueries(
            configuration: configuration, clusters: clusters, store: opened.store, logger: logger.withLabel("bpg.query"))
        queries.monitors = monitors
        let routes = GatewayRoutes(
            contextPath: configuration.applicationContextPath, authenticator: authenticator, submissions: submissions,
            queries: queries, version: options.version, logger: logger.withLabel("bpg.http"))

        var router = RouteTable(metrics: metrics)
        routes.register(into: &router)
        MetricsEndpoint(metrics: metrics).register(into: &router)
        OpenAPIEndpoint(contextPath: configuration.applicationContextPath, version: options.version).register(into: &router)
        var serverConfiguration = HTTPServerConfiguration()
        serverConfiguration.host = options.host
        serverConfiguration.port = options.port
        serverConfiguration.maxBodyBytes = options.maxBodyBytes
        serverConfiguration.maxConnections = configuration.gateway.http.maxConnections
        serverConfiguration.maxConnectionsPerAddress = configuration.gateway.http.maxConnectionsPerAddress
        serverConfiguration.headerTimeout = .seconds(configuration.gateway.http.headerTimeoutSeconds)
        serverConfiguration.logger = logger.withLabel("bpg.http")
        let server = HTTPServer(configuration: serverConfiguration, responder: router.build())
        do {
            try server.start()
        } catch {
            await clusters.shutdown()
            await opened.store.shutdown()
            throw error
        }
        health.start()
        monitors?.start()
        resolver.start()
        logger.info(
            "gateway started",
            metadata: [
                "address": "\(options.host):\(server.port)", "context_path": configuration.applicationContextPath,
                "store": opened.description, "clusters": clusters.clusters.map(\.id).joined(separator: ","),
                "auth_mode": configuration.gateway.auth.mode.rawValue,
            ])
        return GatewayApplication(
            server: server, clusters: clusters, store: opened.store, storeDescription: opened.description, options: options,
            routeTable: router.routes, metrics: metrics, health: health, monitors: monitors, submissions: submissions,
            resolver: resolver)
    }

    /// Stop accepting, drain in-flight requests within the grace period, then close clients and store.
    func shutdown() async {
        options.logger.info("gateway stopping")
        await server.shutdown(gracePeriod: options.shutdownGracePeriod)
        // Creates already sent finish and record their outcome (a request cut at the drain deadline
        // does not cut its create); what is still running after the grace period is recorded as
        // unknown when the clients close, for the resolver or the monitor to settle.
        await submissions.inFlight.waitUntilIdle(timeout: options.shutdownGracePeriod)
        await resolver.stop()
        await submissions.fencing.sweeper.shutdown()
        await monitors?.stop()
        await health.shutdown()
        await clusters.shutdown()
        // Creates cut by the clients closing record their outcome as unknown before the store closes.
        await submissions.inFlight.waitUntilIdle(timeout: .seconds(5))
        await store.shutdown()
        options.logger.info("gateway stopped")
    }

    /// The authentication policy from `allowedUsers`/`blockedUsers` and `gateway.auth`.
    static func makeAuthenticator(_ configuration: GatewayConfiguration) throws -> Authenticator {
        let auth = configuration.gateway.auth
        var policy = AuthenticationPolicy(
            allowedUsers: Set(configuration.allowedUsers), blockedUsers: Set(configuration.blockedUsers),
            adminUsers: Set(configuration.effectiveAdminUsers))
        policy.enforceOwnership = auth.enforceOwnership
        policy.enforceAdminUsers = auth.adminUsers != nil
        switch auth.mode {
        case .bpg:
            break
        case .htpasswd:
            guard let path = auth.htpasswdFile else {
                throw ConfigurationLoader.Failure(file: "configuration", problems: ["gateway.auth.htpasswdFile: required for mode htpasswd"])
            }
            let file = try PasswordFile.load(path: path)
            (policy.passwordHashes, policy.decoyHash) = (file.hashes, file.decoyHash)
            policy.userAccountHeader = .nobody
        case .trustedHeader:
            // Basic stays possible only with checked passwords; an unchecked Basic name would bypass the proxy.
            if let path = auth.htpasswdFile {
                let file = try PasswordFile.load(path: path)
                (policy.passwordHashes, policy.decoyHash) = (file.hashes, file.decoyHash)
            } else {
                policy.acceptsBasic = false
            }
            policy.userAccountHeader = .proxies(try auth.trustedProxies.map { text in
                guard let pattern = PeerAddressPattern(text) else {
                    throw ConfigurationLoader.Failure(
                        file: "configuration", problems: ["gateway.auth.trustedProxies: '\(text)' is not an IP address or IPv4 CIDR"])
                }
                return pattern
            })
        }
        let settings = PasswordCheckSettings(
            cacheLifetime: .seconds(auth.credentialCacheSeconds), maxFailuresPerAddress: auth.maxFailuresPerAddress,
            failureWindow: .seconds(auth.failureWindowSeconds))
        guard policy.passwordHashes != nil else {
            return Authenticator(policy: policy, settings: settings) { _, _ in false }
        }
        // Hashing threads of their own: never the I/O threads nor the cooperative pool. The pool lives
        // as long as the authenticator's closure, and its threads end with it. 64 waiting checks is
        // seconds of work: beyond that a check is refused (503) rather than queued.
        let pool = PasswordHashingPool(
            threads: auth.hashingThreads > 0 ? auth.hashingThreads : max(1, ProcessInfo.processInfo.activeProcessorCount / 2),
            maxPending: 64)
        return Authenticator(policy: policy, settings: settings) { password, hash in
            try await pool.verify(password, hash: hash)
        }
    }
}
