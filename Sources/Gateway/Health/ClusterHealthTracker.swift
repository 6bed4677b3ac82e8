import Foundation
import GatewayCore
import KubeClient
import Logging
import Synchronization

/// Keeps one ``CircuitBreaker`` per configured cluster, fed by the outcome of every create
/// (``record(clusterId:error:latency:)``) and by a periodic cheap probe (`KubernetesClient.probeHealth()`)
/// that a task owned by the tracker runs while `gateway.health.enabled`.
///
/// Routing reads ``routingSnapshot()``: with health checking off (the default, as BPG) the health map is
/// empty, so no cluster is ever skipped; the details stay available to admins either way.
///
/// ```swift
/// let tracker = ClusterHealthTracker(clusters: directory.clusters, settings: configuration.gateway.health)
/// tracker.start()
/// … tracker.routingSnapshot() …
/// await tracker.shutdown()
/// ```
final class ClusterHealthTracker: Sendable {
    /// A probe: the cluster's `probeHealth()`, or a stand-in in tests. Returns the round-trip time.
    typealias Probe = @Sendable () async throws(KubeError) -> Duration

    private struct Entry {
        var id: String
        var weight: Int
        var breaker: CircuitBreaker
        var lastError: String?
        var latency: Duration?
        /// When the breaker last opened or saw a failure while open (for the cool-down).
        var lastFailureWhileOpen: ContinuousClock.Instant?
    }

    private struct State {
        var entries: [String: Entry]
        var order: [String]
        var probeTask: Task<Void, Never>?
        var stopped = false
    }

    let settings: GatewaySettings.Health
    /// How long an open breaker waits without failures before letting traffic try it again.
    let coolDown: Duration
    private let probes: [String: Probe]
    /// In a struct, not bare in the `Mutex`: a function type stored as the `Mutex`'s generic value is
    /// re-wrapped in reabstraction thunks on every `withLock` (read and write-back of the `inout`), so
    /// each call walked a chain that grew by two thunks per submission.
    private struct LoadProvider {
        var load: @Sendable () -> [String: ClusterLoad]
    }

    private let loadProvider: Mutex<LoadProvider>
    private let logger: Logger
    private let state: Mutex<State>
    private let failovers = Atomic<Int>(0)

    /// - Parameters:
    ///   - clusters: the configured clusters (weight-0 ones included: an admin wants to see them).
    ///   - settings: `gateway.health`.
    ///   - load: backlog by cluster id (the application monitor's `load()`); empty by default.
    convenience init(
        clusters: [GatewayCluster], settings: GatewaySettings.Health,
        load: @escaping @Sendable () -> [String: ClusterLoad] = { [:] }, logger: Logger = .disabled
    ) {
        let probes = Dictionary(
            clusters.map { cluster -> (String, Probe) in
                let client = cluster.client
                return (cluster.id, { () async throws(KubeError) -> Duration in try await client.probe() })
            }, uniquingKeysWith: { first, _ in first })
        self.init(
            clusters: clusters.map { ($0.id, $0.configuration.weight) }, probes: probes, settings: settings, load: load,
            logger: logger)
    }

    /// The designated initializer: clusters as (id, weight) and a probe per id.
    init(
        clusters: [(id: String, weight: Int)], probes: [String: Probe], settings: GatewaySettings.Health,
        load: @escaping @Sendable () -> [String: ClusterLoad] = { [:] }, logger: Logger = .disabled
    ) {
        self.settings = settings
        coolDown = .milliseconds(max(settings.probeIntervalMillis, 1) * 3)
        self.probes = probes
        loadProvider = Mutex(LoadProvider(load: load))
        self.logger = logger
        let thresholds = CircuitBreaker.Thresholds(
            failureThreshold: settings.failureThreshold, recoveryThreshold: settings.recoveryThreshold)
        var entries: [String: Entry] = [:]
        var order: [String] = []
        for cluster in clusters where entries[cluster.id] == nil {
            entries[cluster.id] = Entry(id: cluster.id, weight: cluster.weight, breaker: CircuitBreaker(thresholds: thresholds))
            order.append(cluster.id)
        }
        state = Mutex(State(entries: entries, order: order))
    }

    // MARK: Outcomes

    /// Records the outcome of a call to `clusterId` (nil error: it answered). Retriable errors
    /// (transport, 5xx, 429) and the cluster refusing the gateway's credentials (401, 403) count as
    /// failures: other 4xx answers prove the API server works. Errors that say nothing about the
    /// cluster (cancelled, shut down, local configuration) are ignored.
    func record(clusterId: String, error: KubeError?, latency: Duration?) {
        if let error, !error.isRetriable, error.httpStatus == nil { return }
        let failed = error.map { $0.isRetriable || $0.rejectsGatewayCredentials } ?? false
        let now = ContinuousClock.now
        let change: (CircuitBreaker.State, CircuitBreaker.State)? = state.withLock { state in
            guard var entry = state.entries[clusterId] else { return nil }
            let before = entry.breaker.state
            if let latency { entry.latency = latency }
            let changed: CircuitBreaker.State?
            if let error, failed {
                entry.lastError = Self.describe(error)
                changed = entry.breaker.handle(.failure)
                if entry.breaker.state == .open { entry.lastFailureWhileOpen = now }
            } else {
                changed = entry.breaker.handle(.success)
            }
            state.entries[clusterId] = entry
            return changed.map { (before, $0) }
        }
        if let (from, to) = change {
            logger.warning(
                "cluster health changed", metadata: ["cluster": clusterId, "from": from.rawValue, "to": to.rawValue])
        }
    }

    /// Sets where backlog comes from (the application monitor's `load()`), for composition orders
    /// where the monitor starts after the tracker.
    func setLoadProvider(_ load: @escaping @Sendable () -> [String: ClusterLoad]) {
        loadProvider.withLock { $0.load = load }
    }

    private func currentLoad() -> [String: ClusterLoad] {
        let provider = loadProvider.withLock { $0.load }
        return provider()
    }

    /// Counts a submission moved to the next candidate after a retriable failure.
    func recordFailover(from clusterId: String) {
        failovers.add(1, ordering: .relaxed)
        logger.info("failover", metadata: ["from_cluster": clusterId])
    }

    /// Submissions moved to another cluster since start (for metrics).
    var failoverCount: Int { failovers.load(ordering: .relaxed) }

    // MARK: Views

    /// Health by cluster id for routing: empty unless `gateway.health.enabled`.
    func snapshot() -> [String: GatewayCore.ClusterHealth] {
        guard settings.enabled else { return [:] }
        return state.withLock { state in state.entries.mapValues(\.breaker.health) }
    }

    /// Whether each cluster's breaker lets traffic through (not `down`), for `bpg_cluster_up`; reported
    /// even with health checking off, where it is informational only.
    func clusterUp() -> [String: Bool] {
        state.withLock { state in state.entries.mapValues { $0.breaker.health != .down } }
    }

    /// What `SubmissionService.routing` hands the planner: health and backlog.
    func routingSnapshot() -> RoutingSnapshot {
        RoutingSnapshot(health: snapshot(), load: currentLoad())
    }

    /// Per-cluster detail, in configuration order.
    func details() -> [ClusterHealthDetail] {
        let load = currentLoad()
        return state.withLock { state in
            state.order.compactMap { id -> ClusterHealthDetail? in
                guard let entry = state.entries[id] else { return nil }
                return ClusterHealthDetail(
                    id: id, weight: entry.weight, health: entry.breaker.health.rawValue, state: entry.breaker.state.rawValue,
                    consecutiveFailures: entry.breaker.consecutiveFailures, lastError: entry.lastError,
                    latencyMs: entry.latency.map(Self.milliseconds),
                    backlog: load[id].map { ClusterHealthDetail.Backlog(pending: $0.pending, running: $0.running) })
            }
        }
    }

    /// The admin view.
    func report() -> ClusterHealthReport {
        ClusterHealthReport(healthChecking: settings.enabled, failovers: failoverCount, clusters: details())
    }

    // MARK: Probing

    /// Starts the probe task when `gateway.health.enabled` (once; a no-op after `shutdown()`).
    func start() {
        guard settings.enabled else { return }
        let interval = Duration.milliseconds(max(settings.probeIntervalMillis, 1))
        state.withLock { state in
            guard state.probeTask == nil, !state.stopped else { return }
            state.probeTask = Task { [self] in
                while !Task.isCancelled {
                    await probeAll()
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    /// Stops the probe task and waits for it to end.
    func shutdown() async {
        let task = state.withLock { state in
            state.stopped = true
            defer { state.probeTask = nil }
            return state.probeTask
        }
        task?.cancel()
        await task?.value
    }

    /// Probes every cluster at once, each bounded by `probeTimeoutMillis`, then lets open breakers
    /// whose cool-down passed try traffic again.
    func probeAll() async {
        let timeout = Duration.milliseconds(max(settings.probeTimeoutMillis, 1))
        await withTaskGroup(of: Void.self) { group in
            for (id, probe) in probes {
                group.addTask { [self] in
                    let start = ContinuousClock.now
                    do throws(KubeError) {
                        let latency = try await KubeDeadline.run(timeout, clusterId: id, what: "health probe", probe)
                        record(clusterId: id, error: nil, latency: latency)
                    } catch {
                        guard !Task.isCancelled else { return }
                        record(clusterId: id, error: error, latency: ContinuousClock.now - start)
                    }
                }
            }
        }
        coolDownElapsedBreakers()
    }

    private func coolDownElapsedBreakers() {
        let now = ContinuousClock.now
        state.withLock { state in
            for id in state.order {
                guard var entry = state.entries[id], entry.breaker.state == .open,
                    let since = entry.lastFailureWhileOpen, now - since >= coolDown
                else { continue }
                entry.breaker.handle(.coolDownElapsed)
                state.entries[id] = entry
            }
        }
    }

    private static func describe(_ error: KubeError) -> String {
        let text = error.description
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
