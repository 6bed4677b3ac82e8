import Cryptography
import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import Logging
import Persistence

/// The gateway without an HTTP server of its own: the submission pipeline, cluster health, the
/// application monitor, the resolver of unknown create outcomes, and BPG's routes, built from a
/// configuration value in dependency order.
///
/// An embedding service builds one, mounts its routes into its own `HTTPServing` server (or calls
/// ``submissions`` directly), starts the background work, and shuts it down after its server drained:
///
/// ```swift
/// var options = GatewayService.Options(configuration: configuration)
/// options.routingPolicy = CheapestClusterPolicy(rates: rates)
/// let gateway = try await GatewayService.open(options)
/// var router = HTTPRouterBuilder()
/// gateway.register(into: &router, prefix: "/spark-gateway")
/// gateway.startBackgroundWork()
/// …
/// await gateway.shutdown()
/// ```
///
/// `GatewayApplication` is this plus the bundled HTTP server.
public final class GatewayService: Sendable {
    /// What the gateway is built from; everything but `configuration` has a default.
    public struct Options: Sendable {
        public var configuration: GatewayConfiguration
        /// Where secret references (`localhost:env:`) are resolved; the process environment is read
        /// only at the executable's edge.
        public var environment: [String: String] = [:]
        public var logger: Logger = .disabled
        /// The store to use instead of the configured one (`gateway.store`).
        public var store: (any SubmissionStore)? = nil
        /// The routing policy to use instead of the configured one (`gateway.routing.strategy`).
        public var routingPolicy: (any RoutingPolicy)? = nil
        /// Who is calling, instead of `gateway.auth`.
        public var authenticator: (any RequestAuthenticating)? = nil
        /// Cluster clients to use instead of connecting with the configured credentials, by cluster id;
        /// configured clusters not in here are connected as usual.
        public var clusterClients: [String: any SparkClusterAPI] = [:]
        /// Whether the application monitor runs (on by default; `BPG_MONITOR_ENABLED=false` turns it off).
        public var monitorEnabled: Bool {
            get { monitor.enabled }
            set { monitor.enabled = newValue }
        }
        /// The version `GET <root>/admin/version` reports.
        public var version = VersionInfo(version: GatewayVersion.current)
        /// How long shutdown waits for creates already sent to finish and record their outcome.
        public var shutdownGracePeriod: Duration = .seconds(10)
        /// How often records of unknown create outcome are settled (``UnknownOutcomeResolver``).
        public var unknownOutcomeResolveInterval: Duration = .seconds(10)
        /// How long the background write of a successful create's outcome waits before each batch.
        /// Zero (the default) in service; crash tests set it (bpg: `BPG_DEBUG_CREATED_OUTCOME_DELAY_MS`)
        /// to kill the process while every answered submission's record still says `ACCEPTED`.
        public var createdOutcomeDelay: Duration = .zero
        /// The monitor's lease and enforcement timings.
        var monitor = MonitorSettings()
        /// Values `/metrics` reads from outside the gateway's own components (tests).
        var metricsProviders = GatewayMetrics.Providers()

        public init(configuration: GatewayConfiguration) {
            self.configuration = configuration
        }
    }

    public let configuration: GatewayConfiguration
    public let store: any SubmissionStore
    /// The submission pipeline: call `submit` directly to submit without HTTP.
    public let submissions: SubmissionService
    let storeDescription: String
    let clusters: ClusterDirectory
    /// Per-cluster circuit breakers and probes (`gateway.health`), and the failover count.
    let health: ClusterHealthTracker
    /// Per-cluster application monitors; nil when disabled.
    let monitors: ApplicationMonitors?
    /// Settles records of unknown create outcome.
    let resolver: UnknownOutcomeResolver
    /// The `/metrics` registry.
    let metrics: GatewayMetrics
    let routes: GatewayRoutes
    /// `GET <root>/spark/{id}/events`, woken by the monitors.
    let statusStream: StatusStreamEndpoint
    private let options: Options

    private init(
        options: Options, store: any SubmissionStore, storeDescription: String, clusters: ClusterDirectory,
        health: ClusterHealthTracker, monitors: ApplicationMonitors?, resolver: UnknownOutcomeResolver,
        metrics: GatewayMetrics, submissions: SubmissionService, routes: GatewayRoutes, statusStream: StatusStreamEndpoint
    ) {
        self.options = options
        self.configuration = options.configuration
        self.store = store
        self.storeDescription = storeDescription
        self.clusters = clusters
        self.health = health
        self.monitors = monitors
        self.resolver = resolver
        self.metrics = metrics
        self.submissions = submissions
        self.routes = routes
        self.statusStream = statusStream
    }

    /// Opens the store and connects the clusters; nothing runs in the background until
    /// ``startBackgroundWork()``.
    public static func open(_ options: Options) async throws -> GatewayService {
        let configuration = options.configuration
        let logger = options.logger

        // Checked first: a bad auth setting must not leave a store or clients open.
        let authenticator = try options.authenticator ?? makeAuthenticator(configuration)
        let opened: StoreFactory.Opened
        if let store = options.store {
            opened = StoreFactory.Opened(store: store, description: "provided")
        } else {
            opened = try await StoreFactory.open(configuration, environment: options.environment, logger: logger)
        }
        let clusters: ClusterDirectory
        do {
            clusters = try await ClusterDirectory.connect(
                configuration, environment: options.environment, logger: logger, provided: options.clusterClients)
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

        // Built in dependency order, each handed what it reads: nothing is patched afterwards.
        let statusChanges = StatusChangeSignal()
        let statusStream = StatusStreamEndpoint(
            settings: configuration.gateway.statusStream, signal: statusChanges, store: opened.store,
            logger: logger.withLabel("bpg.http"))
        // One S3 client for uploads and logs (it pools connections and caches credentials).
        let uploadBucket = configuration.s3Bucket.flatMap { $0.isEmpty ? nil : $0 }
        let logBucket = configuration.sparkLogS3Bucket.flatMap { $0.isEmpty || $0.lowercased().hasPrefix("gs://") ? nil : $0 }
        let s3Client =
            uploadBucket != nil || logBucket != nil
            ? ObjectStorageFactory.client(configuration.gateway.objectStorage, environment: options.environment) : nil
        let archiver = zip(logBucket, s3Client).map { bucket, client in
            LogArchiver(
                bucket: bucket, settings: configuration.gateway.objectStorage.logArchive, client: client, store: opened.store,
                logger: logger.withLabel("bpg.logarchive"))
        }
        let monitors = options.monitor.enabled
            ? ApplicationMonitors(
                clusters: clusters, store: opened.store, configuration: configuration, settings: options.monitor,
                logger: logger.withLabel("bpg.monitor"), statusChanges: statusChanges, archiver: archiver)
            : nil
        let health = ClusterHealthTracker(
            clusters: clusters.clusters, settings: configuration.gateway.health,
            load: { monitors?.load() ?? [:] }, logger: logger.withLabel("bpg.health"))
        var providers = options.metricsProviders
        providers.clusterUp = { health.clusterUp() }
        providers.storePool = { [store = opened.store] in store.poolStatistics }
        providers.statusStreams = { statusStream.openStreams }
        if let monitors {
            providers.monitorEvents = { monitors.eventsByCluster() }
            providers.monitorLagSeconds = { monitors.lagSecondsByCluster() }
        }
        let metrics = GatewayMetrics(providers: providers)
        let window = Duration.seconds(configuration.gateway.routing.unknownOutcomeWindowSeconds)
        let fencing = AttemptFencing(
            store: opened.store, sweeper: FenceSweeper(window: window, logger: logger.withLabel("bpg.fence")),
            logger: logger.withLabel("bpg.fence"))
        let resolver = UnknownOutcomeResolver(
            clusters: clusters, store: opened.store, fencing: fencing, window: window,
            interval: options.unknownOutcomeResolveInterval, logger: logger.withLabel("bpg.fence"))
        let planner = SubmissionPlanner(
            configuration: configuration, routingPolicy: options.routingPolicy, queueTokenVerifier: queueTokenVerifier)
        let submissions = SubmissionService(
            planner: planner, clusters: clusters, store: opened.store, routing: { health.routingSnapshot() },
            logger: logger.withLabel("bpg.submit"), fencing: fencing, inFlight: InFlightWork(),
            outcomes: CreatedOutcomeWriter(
                store: opened.store, metrics: metrics, logger: logger.withLabel("bpg.submit"),
                delay: options.createdOutcomeDelay > .zero
                    ? options.createdOutcomeDelay : LaunchEnvironment.createdOutcomeDelay(environment: options.environment)),
            health: health, metrics: metrics)
        var queries = ApplicationQueries(
            configuration: configuration, clusters: clusters, store: opened.store, logger: logger.withLabel("bpg.query"))
        queries.monitors = monitors
        var routes = GatewayRoutes(
            contextPath: configuration.applicationContextPath, authenticator: authenticator, submissions: submissions,
            queries: queries, version: options.version, logger: logger.withLabel("bpg.http"),
            uploads: ArtifactUploads(configuration: configuration, client: uploadBucket == nil ? nil : s3Client),
            archivedLogs: zip(logBucket, s3Client).map { bucket, client in
                ArchivedLogs(bucket: bucket, client: client, store: opened.store, logger: logger.withLabel("bpg.http"))
            })
        routes.statusStream = statusStream
        return GatewayService(
            options: options, store: opened.store, storeDescription: opened.description, clusters: clusters, health: health,
            monitors: monitors, resolver: resolver, metrics: metrics, submissions: submissions, routes: routes,
            statusStream: statusStream)
    }

    /// Adds BPG's routes (under `applicationContextPath`), `/metrics` and the OpenAPI document to
    /// `router`, each under `prefix` (empty: at the server's root, as BPG).
    public func register(into router: inout some RouteRegistrar, prefix: String = "") {
        let prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        var mounted = MountedRoutes(target: router, prefix: prefix, metrics: metrics)
        var routes = routes
        routes.mountPrefix = prefix
        routes.register(into: &mounted)
        MetricsEndpoint(metrics: metrics).register(into: &mounted)
        OpenAPIEndpoint(contextPath: configuration.applicationContextPath, version: options.version, livy: configuration.gateway.livy)
            .register(into: &mounted)
        router = mounted.target
    }

    /// Ends open status streams and refuses new ones (503): call before draining the HTTP server
    /// that serves the routes, so the drain does not wait for them. ``shutdown()`` calls it too.
    public func endStatusStreams() {
        statusStream.shutdown()
    }

    /// Starts cluster health probes, the application monitors and the resolver of unknown outcomes.
    public func startBackgroundWork() {
        health.start()
        monitors?.start()
        resolver.start()
    }

    /// Stops what ``startBackgroundWork()`` started.
    public func stopBackgroundWork() async {
        await resolver.stop()
        await submissions.fencing.sweeper.shutdown()
        await monitors?.stop()
        await health.shutdown()
    }

    /// Lets creates already sent finish (up to the grace period), stops the background work, and
    /// closes the cluster clients and the store. Call it after the HTTP server serving the routes
    /// drained.
    public func shutdown() async {
        endStatusStreams()
        // Creates already sent finish and record their outcome (a request cut at the drain deadline
        // does not cut its create); what is still running after the grace period is recorded as
        // unknown when the clients close, for the resolver or the monitor to settle.
        await submissions.inFlight.waitUntilIdle(timeout: options.shutdownGracePeriod)
        // Outcomes of answered creates, written after their responses (what is left after the
        // deadline stays ACCEPTED for the resolver or the monitor of any replica).
        await submissions.outcomes.flush(timeout: .seconds(5))
        await stopBackgroundWork()
        await clusters.shutdown()
        // Creates cut by the clients closing record their outcome as unknown before the store closes.
        await submissions.inFlight.waitUntilIdle(timeout: .seconds(5))
        await submissions.outcomes.flush(timeout: .seconds(2))
        await store.shutdown()
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
