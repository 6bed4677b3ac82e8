import Foundation
import JSON
import GatewayCore
import KubeClient
import Logging
import Persistence

/// The submission pipeline: plan (queue, token, validation, ranking) → record → create → mark the
/// outcome. Nothing is created without a record, and a record whose create failed says so.
///
/// The record is the one store write the response waits for: a successful create's `CREATED` is
/// written after the response by ``CreatedOutcomeWriter`` (a failed or unknown create's outcome is
/// still written before the response, because the next attempt or the client's error depends on it).
///
/// Reached through `GatewayService.submissions`; `submit` is the whole of `POST <root>/spark` without
/// HTTP (its errors are ``GatewayError``s and Core's `SubmissionError`s).
public struct SubmissionService: Sendable {
    let planner: SubmissionPlanner
    let clusters: ClusterDirectory
    let store: any SubmissionStore
    let routing: @Sendable () -> RoutingSnapshot
    let logger: Logger
    /// Settles creates whose outcome is unknown (confirm or fence) before another attempt may run.
    let fencing: AttemptFencing
    /// Creates in flight, which shutdown lets finish before closing the cluster clients.
    let inFlight: InFlightWork
    /// Writes the `CREATED` outcome after the response (the record was written before the create).
    let outcomes: CreatedOutcomeWriter
    /// Per-cluster circuit breakers, fed with every create's outcome; counts failovers.
    let health: ClusterHealthTracker?
    /// Submission, failover and store-call counters (docs/metrics.md); `nil` records nothing.
    let metrics: GatewayMetrics?

    init(
        planner: SubmissionPlanner, clusters: ClusterDirectory, store: any SubmissionStore,
        routing: @escaping @Sendable () -> RoutingSnapshot, logger: Logger, fencing: AttemptFencing, inFlight: InFlightWork,
        outcomes: CreatedOutcomeWriter? = nil, health: ClusterHealthTracker? = nil, metrics: GatewayMetrics? = nil
    ) {
        self.planner = planner
        self.clusters = clusters
        self.store = store
        self.routing = routing
        self.logger = logger
        self.fencing = fencing
        self.inFlight = inFlight
        self.outcomes = outcomes ?? CreatedOutcomeWriter(store: store, metrics: metrics, logger: logger)
        self.health = health
        self.metrics = metrics
    }

    /// What the caller asked for, beyond the body.
    public struct Submission: Sendable {
        public var request: SubmitApplicationRequest
        /// Who submits (the route's authenticated caller).
        public var user: AuthenticatedUser
        /// For BPG's Airflow account: the user the job runs as.
        public var dagUser: String?
        /// Makes retries safe: the same key and body return the first submission's id.
        public var idempotencyKey: String?

        public init(
            request: SubmitApplicationRequest, user: AuthenticatedUser, dagUser: String? = nil, idempotencyKey: String? = nil
        ) {
            self.request = request
            self.user = user
            self.dagUser = dagUser
            self.idempotencyKey = idempotencyKey
        }
    }

    /// Submits and returns the submission id of the created `SparkApplication`.
    ///
    /// Failover: a retriable create failure (unreachable API server, 429, the cluster refusing the
    /// gateway's credentials) moves to the next ranked candidate, up to `gateway.routing.maxAttempts`;
    /// the failed attempt's record keeps its error. A create whose outcome is unknown (timeout, dropped
    /// connection, 5xx) is confirmed or fenced first (``AttemptFencing``), so the job never runs twice.
    /// Other answers (422, 400, …) are returned as they are.
    public func submit(_ submission: Submission) async throws -> String {
        let outcome = SubmissionOutcomeRecorder(metrics: metrics)
        do {
            let id = try await submitRecorded(submission, outcome: outcome)
            outcome.finish()
            return id
        } catch {
            outcome.finish(error: error)
            throw error
        }
    }

    private func submitRecorded(_ submission: Submission, outcome: SubmissionOutcomeRecorder) async throws -> String {
        let request = submission.request
        let proxyUser = SubmissionPlanner.proxyUser(authenticatedUser: submission.user.name, dagUser: submission.dagUser)
        var random = SystemRandomNumberGenerator()
        let plan = try planner.plan(
            request, user: submission.user.name, proxyUser: proxyUser, snapshot: routing(), using: &random)

        let storedBody = Self.storedBody(request)
        var slot = 1
        if let key = submission.idempotencyKey {
            switch try await resolveIdempotencyKey(key, user: proxyUser, body: storedBody) {
            case .existing(let id):
                outcome.replayed(queue: plan.queue.name)
                return id
            case .nextSlot(let next):
                slot = next
            }
        }

        let attempts = max(1, planner.configuration.gateway.routing.maxAttempts)
        var failures: [KubeError] = []
        let candidates = plan.candidates.prefix(attempts)
        for (index, candidate) in candidates.enumerated() {
            guard let cluster = clusters.cluster(id: candidate.id) else { continue }
            outcome.attempt(cluster: cluster.id, queue: plan.queue.name)
            let submissionId = plan.submissionId(on: candidate, using: &random)
            let application = plan.application(on: candidate, submissionId: submissionId)
            let record = NewSubmission(
                submissionId: submissionId, user: proxyUser, appName: request.sparkConf?["spark.app.name"] ?? request.applicationName,
                sparkVersion: request.sparkVersion, queue: request.queue, resolvedQueue: plan.queue.name,
                clusterId: cluster.id, namespace: cluster.namespace,
                idempotencyKey: submission.idempotencyKey.map { Self.idempotencySlotKey($0, slot: slot + failures.count) },
                requestBody: storedBody)

            switch try await insert(record) {
            case .existingForIdempotencyKey:
                let id = try await idempotentWinner(key: submission.idempotencyKey ?? "", user: proxyUser, body: storedBody)
                outcome.replayed(queue: plan.queue.name)
                return id
            case .inserted:
                break
            }

            switch await inFlight.run({ await self.attempt(application, submissionId: submissionId, on: cluster) }) {
            case .created:
                logger.info(
                    "submission created",
                    metadata: ["submission_id": submissionId, "cluster": cluster.id, "queue": plan.queue.name, "user": proxyUser])
                return submissionId
            case .failed(let error):
                logger.warning(
                    "create failed", metadata: ["submission_id": submissionId, "cluster": cluster.id, "error": "\(error)"])
                guard error.isRetriable || error.rejectsGatewayCredentials else { throw Self.rejection(error) }
                failures.append(error)
            case .fenced(let error):
                failures.append(error)
            case .unsettled(let error):
                // Shutting down mid-create: the record says OUTCOME_UNKNOWN and the resolver or the
                // monitor settles it; a retry with the same Idempotency-Key follows that attempt.
                throw GatewayError.unavailable(
                    "The gateway is shutting down and could not learn whether submission \(submissionId) was created "
                        + "(\(error.code)). Retry with the same Idempotency-Key to get its outcome.")
            }
            if index + 1 < candidates.count { health?.recordFailover(from: cluster.id) }
        }
        throw Self.noClusterAccepted(failures, untriedCandidates: plan.candidates.count > candidates.count)
    }

    /// Why no attempt succeeded. Clusters that refused the gateway's own credentials make a 502 (the
    /// gateway is misconfigured, not the caller) unless another cluster could still take the job.
    static func noClusterAccepted(_ failures: [KubeError], untriedCandidates: Bool) -> GatewayError {
        let reasons = failures.map { failure in
            let detail = failure.message.isEmpty ? "\(failure.code)" : failure.message
            if failure.rejectsGatewayCredentials {
                return "\(failure.clusterID): the cluster refused the gateway's credentials "
                    + "(HTTP \(failure.httpStatus ?? 0)): \(detail)"
            }
            return "\(failure.clusterID): \(detail)"
        }
        if !failures.isEmpty, !untriedCandidates, failures.allSatisfy(\.rejectsGatewayCredentials) {
            return GatewayError(.badGateway, "No Spark cluster accepted the gateway's request (\(reasons.joined(separator: "; "))).")
        }
        return .unavailable(
            "No Spark cluster could accept the submission right now (\(reasons.joined(separator: "; "))). Please retry later.")
    }

    private func insert(_ record: NewSubmission) async throws -> InsertOutcome {
        do {
            return try await metrics.measureStore("insert") { try await store.insertSubmission(record) }
        } catch {
            throw storeUnavailable(error)
        }
    }

    private func storeUnavailable(_ error: any Error) -> GatewayError {
        logger.error("submission store unavailable", metadata: ["error": "\(error)"])
        return .unavailable("The submission store is unavailable; nothing was submitted. Please retry later.")
    }

    /// Records the failed create. A few retries, because a record left `ACCEPTED` would claim a job
    /// that was never created.
    func markFailed(_ submissionId: String, error: KubeError) async {
        for attempt in 1...3 {
            do {
                _ = try await metrics.measureStore("mark_failed") {
                    try await store.markSubmissionFailed(submissionId: submissionId, error: error.description, at: Date())
                }
                return
            } catch {
                logger.error(
                    "could not record a failed create", metadata: ["submission_id": submissionId, "attempt": "\(attempt)"])
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    /// A non-retriable Kubernetes answer, passed on with its status.
    static func rejection(_ error: KubeError) -> GatewayError {
        var message = "Cluster \(error.clusterID) rejected the SparkApplication: \(error.message)"
        let causes = error.causes.compactMap { cause -> String? in
            guard let field = cause.field else { return cause.message }
            return "\(field): \(cause.message ?? "invalid")"
        }
        if !causes.isEmpty { message += " (" + causes.joined(separator: "; ") + ")" }
        return GatewayError(.clusterRejected, message, clusterStatus: error.httpStatus)
    }

    /// The request as stored: queue token masked, pod environments removed.
    static func storedBody(_ request: SubmitApplicationRequest) -> String? {
        let encoder = JSONValueEncoder(format: .init(sortedKeys: true))
        return (try? encoder.encode(request.redactedForStorage())).map { String(decoding: $0, as: UTF8.self) }
    }
}
