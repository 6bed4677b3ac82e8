import Foundation
import GatewayCore
import HTTPServing
import Persistence
import Synchronization

/// The gateway's metrics (all named `bpg_…`) and the registry that renders them for `GET /metrics`.
///
/// No series carries a user name: routes are patterns (`/spark/{id}/status`), submissions are counted
/// by cluster, resolved queue and outcome. Values other components own (cluster health, monitor
/// progress) are read from ``Providers`` closures at scrape time; they default to empty.
final class GatewayMetrics: Sendable {
    /// Closures read at every scrape. Each returns one value per cluster id; empty means no series.
    struct Providers: Sendable {
        /// Whether each cluster is currently considered up (`bpg_cluster_up`).
        var clusterUp: @Sendable () -> [String: Bool] = { [:] }
        /// Watch events the monitor has processed per cluster since start (`bpg_monitor_events_total`).
        var monitorEvents: @Sendable () -> [String: Int] = { [:] }
        /// Seconds between the newest watch event and its record being written (`bpg_monitor_lag_seconds`).
        var monitorLagSeconds: @Sendable () -> [String: Double] = { [:] }
        /// The store's connection pool (`bpg_store_pool_connections`); nil for stores without one.
        var storePool: @Sendable () -> StorePoolStatistics? = { nil }
        /// Status streams open on this replica (`bpg_status_streams_open`); nil when not served.
        var statusStreams: @Sendable () -> Int? = { nil }

        init() {}
    }

    /// How a submission ended, the `outcome` label of `bpg_submissions_total`.
    enum SubmissionOutcome: String, Sendable {
        /// A SparkApplication was created.
        case created
        /// Refused before or by a cluster: validation, queue token, a non-retriable create answer (4xx), a 409.
        case rejected
        /// No cluster could take it (every attempt failed with a retriable error) or the store was unavailable.
        case failed
        /// An `Idempotency-Key` retry answered with the original submission id; nothing was created.
        case replayed
    }

    /// The label value used when a submission ended before a cluster or queue was chosen.
    static let none = "none"

    let registry = MetricsRegistry()
    let httpRequests: MetricFamily<Counter>
    let httpDuration: MetricFamily<Histogram>
    let submissions: MetricFamily<Counter>
    let failovers: MetricFamily<Counter>
    let storeOperations: MetricFamily<Counter>
    private let providers: Mutex<Providers>

    init(providers: Providers = Providers()) {
        self.providers = Mutex(providers)
        httpRequests = registry.counter(
            "bpg_http_requests_total", help: "HTTP requests answered, by route pattern, method and status code.",
            labelNames: ["route", "method", "status"])
        httpDuration = registry.histogram(
            "bpg_http_request_duration_seconds",
            help: "Time from routing a request to its response headers, by route pattern and method.",
            labelNames: ["route", "method"])
        submissions = registry.counter(
            "bpg_submissions_total",
            help: "Submissions by cluster, resolved queue and outcome (created, rejected, failed, replayed).",
            labelNames: ["cluster", "queue", "outcome"])
        failovers = registry.counter(
            "bpg_failovers_total", help: "Submissions moved to the next cluster after a retriable create failure.",
            labelNames: ["from", "to"])
        storeOperations = registry.counter(
            "bpg_store_operations_total", help: "Submission store calls made by the submit path, by operation and outcome.",
            labelNames: ["operation", "outcome"])
        registry.callback(
            "bpg_cluster_up", help: "1 when the cluster is considered healthy and routable, else 0.", type: .gauge,
            labelNames: ["cluster"]
        ) { [weak self] in
            (self?.currentProviders().clusterUp() ?? [:]).map { ([$0.key], $0.value ? 1 : 0) }
        }
        registry.callback(
            "bpg_monitor_events_total", help: "Watch events processed by the application monitor, by cluster.",
            type: .counter, labelNames: ["cluster"]
        ) { [weak self] in
            (self?.currentProviders().monitorEvents() ?? [:]).map { ([$0.key], Double($0.value)) }
        }
        registry.callback(
            "bpg_monitor_lag_seconds", help: "Delay between a watch event and its record update, latest per cluster.",
            type: .gauge, labelNames: ["cluster"]
        ) { [weak self] in
            (self?.currentProviders().monitorLagSeconds() ?? [:]).map { ([$0.key], $0.value) }
        }
        registerStorePool()
        registry.callback(
            "bpg_status_streams_open", help: "Status streams (GET <root>/spark/{id}/events) open on this replica.",
            type: .gauge, labelNames: []
        ) { [weak self] in
            guard let open = self?.currentProviders().statusStreams() else { return [] }
            return [([], Double(open))]
        }
    }

    private func registerStorePool() {
        registry.callback(
            "bpg_store_pool_connections",
            help: "The store's connection pool: connections in use, idle, and operations waiting for one.",
            type: .gauge, labelNames: ["state"]
        ) { [weak self] in
            guard let pool = self?.currentProviders().storePool() else { return [] }
            return [
                (["in_use"], Double(pool.inUse)), (["idle"], Double(pool.size - pool.inUse)),
                (["waiting"], Double(pool.waiting)),
            ]
        }
    }

    /// Replaces providers once their owners exist (the health tracker and monitor start after the metrics).
    func updateProviders(_ update: (inout Providers) -> Void) {
        providers.withLock { update(&$0) }
    }

    private func currentProviders() -> Providers {
        providers.withLock { $0 }
    }

    /// The scrape body.
    func render() -> String {
        registry.render()
    }

    // MARK: Recording

    /// Wraps `handler` so each call counts in `bpg_http_requests_total` and
    /// `bpg_http_request_duration_seconds` under `route` (the pattern, never the path). Thrown
    /// `HTTPResponseError`s count with their status, anything else as 500; the error is rethrown.
    /// A streamed body is timed until its headers are ready.
    func instrument(route: String, method: HTTPMethod, _ handler: @escaping HTTPHandler) -> HTTPHandler {
        let duration = httpDuration.labels(route, method.rawValue)
        let requests = httpRequests
        // Per-route cache of the status series, so a request takes no registry-wide lock.
        let byStatus = Mutex<[Int: Counter]>([:])
        @Sendable func count(_ status: Int, since start: ContinuousClock.Instant) {
            duration.observe(Self.seconds(ContinuousClock.now - start))
            let counter = byStatus.withLock { cache in
                if let counter = cache[status] { return counter }
                let counter = requests.labels(route, method.rawValue, String(status))
                cache[status] = counter
                return counter
            }
            counter.increment()
        }
        return { request in
            let start = ContinuousClock.now
            do {
                let response = try await handler(request)
                count(response.status, since: start)
                return response
            } catch {
                count(Self.status(of: error), since: start)
                throw error
            }
        }
    }

    /// Counts one finished submission.
    func recordSubmission(cluster: String?, queue: String?, outcome: SubmissionOutcome) {
        submissions.labels(cluster ?? Self.none, queue ?? Self.none, outcome.rawValue).increment()
    }

    /// Counts a move from a cluster whose create failed to the next candidate.
    func recordFailover(from: String, to: String) {
        failovers.labels(from, to).increment()
    }

    /// Runs a store call, counting it as `ok` or `error` under `operation`.
    func measureStore<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            storeOperations.labels(operation, "ok").increment()
            return result
        } catch {
            storeOperations.labels(operation, "error").increment()
            throw error
        }
    }

    /// The status an error is answered with: its own for `HTTPResponseError`s, else 500 (what
    /// `HTTPResponder` sends). The common error types are read without building their response.
    static func status(of error: any Error) -> Int {
        switch error {
        case let error as HTTPError: error.status
        case let error as SubmissionError: error.status
        case let error as any HTTPResponseError: error.response().status
        default: 500
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension GatewayMetrics? {
    /// `measureStore` when metrics are configured, else just the call (services built without metrics).
    func measureStore<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        guard let self else { return try await body() }
        return try await self.measureStore(operation, body)
    }
}
