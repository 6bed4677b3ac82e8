import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import Logging
import Persistence

/// The submission pipeline: plan (queue, token, validation, ranking) → record → create → mark the
/// outcome. Nothing is created without a record, and a record whose create failed says so.
struct SubmissionService: Sendable {
    let planner: SubmissionPlanner
    let clusters: ClusterDirectory
    let store: any SubmissionStore
    let routing: @Sendable () -> RoutingSnapshot
    let logger: Logger
    /// Submission, failover and store-call counters (docs/metrics.md); `nil` records nothing.
    var metrics: GatewayMetrics? = nil

    /// What the caller asked for, beyond the body.
    struct Submission {
        var request: SubmitApplicationRequest
        var user: AuthenticatedUser
        var dagUser: String?
        var idempotencyKey: String?
    }

    /// Submits and returns the submission id of the created `SparkApplication`.
    ///
    /// Failover: a retriable create failure (unreachable API server, 5xx, 429) moves to the next
    /// ranked candidate, up to `gateway.routing.maxAttempts`; the failed attempt's record keeps its
    /// error. Non-retriable answers (422, 403, …) are returned as they are.
    func submit(_ submission: Submission) async throws -> String {
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
        if let key = submission.idempotencyKey, let existing = try await existingSubmission(
            user: submission.user.name, key: key, body: storedBody)
        {
            outcome.replayed(queue: plan.queue.name)
            return existing
        }

        let attempts = max(1, planner.configuration.gateway.routing.maxAttempts)
        var failures: [KubeError] = []
        for candidate in plan.candidates.prefix(attempts) {
            guard let cluster = clusters.cluster(id: candidate.id) else { continue }
            outcome.attempt(cluster: cluster.id, queue: plan.queue.name)
            let submissionId = plan.submissionId(on: candidate, using: &random)
            let application = plan.application(on: candidate, submissionId: submissionId)
            let record = NewSubmission(
                submissionId: submissionId, user: proxyUser, appName: request.sparkConf?["spark.app.name"] ?? request.applicationName,
                sparkVersion: request.sparkVersion, queue: request.queue, resolvedQueue: plan.queue.name,
                clusterId: cluster.id, namespace: cluster.namespace,
                idempotencyKey: failures.isEmpty ? submission.idempotencyKey : nil, requestBody: storedBody)

            switch try await insert(record) {
            case .existingForIdempotencyKey(let existing):
                outcome.replayed(queue: plan.queue.name)
                return existing.submissionId
            case .inserted:
                break
            }

            do {
                _ = try await cluster.client.create(application, in: .sparkApplications, namespace: cluster.namespace)
            } catch {
                await markFailed(submissionId, error: error)
                logger.warning(
                    "create failed",
                    metadata: ["submission_id": submissionId, "cluster": cluster.id, "error": "\(error)"])
                guard error.isRetriable else { throw Self.rejection(error) }
                failures.append(error)
                continue
            }
            do {
                _ = try await metrics.measureStore("mark_created") { try await store.markCreated(submissionId: submissionId, at: Date()) }
            } catch {
                // The application exists and its record too (status ACCEPTED); the monitor or the next
                // status read brings the record up to date, so the client still gets its id.
                logger.error("could not mark the submission created", metadata: ["submission_id": submissionId, "error": "\(error)"])
            }
            logger.info(
                "submission created",
                metadata: ["submission_id": submissionId, "cluster": cluster.id, "queue": plan.queue.name, "user": proxyUser])
            return submissionId
        }
        let reasons = failures.map { "\($0.clusterID): \($0.message.isEmpty ? "\($0.code)" : $0.message)" }
        throw HTTPError(
            503, "No Spark cluster could accept the submission right now (\(reasons.joined(separator: "; "))). Please retry later.",
            headers: ["Retry-After": "5"])
    }

    private func existingSubmission(user: String, key: String, body: String?) async throws -> String? {
        let existing: SubmissionRecord?
        do {
            existing = try await metrics.measureStore("find_idempotency_key") {
                try await store.submission(user: user, idempotencyKey: key)
            }
        } catch {
            throw storeUnavailable(error)
        }
        guard let existing else { return nil }
        if existing.requestBody != body {
            throw HTTPError(409, "Idempotency-Key \(key) was already used by this user for a different request")
        }
        return existing.submissionId
    }

    private func insert(_ record: NewSubmission) async throws -> InsertOutcome {
        do {
            return try await metrics.measureStore("insert") { try await store.insertSubmission(record) }
        } catch {
            throw storeUnavailable(error)
        }
    }

    private func storeUnavailable(_ error: any Error) -> HTTPError {
        logger.error("submission store unavailable", metadata: ["error": "\(error)"])
        return HTTPError(503, "The submission store is unavailable; nothing was submitted. Please retry later.",
            headers: ["Retry-After": "5"])
    }

    /// Records the failed create. A few retries, because a record left `ACCEPTED` would claim a job
    /// that was never created.
    private func markFailed(_ submissionId: String, error: KubeError) async {
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
    static func rejection(_ error: KubeError) -> HTTPError {
        let status = error.httpStatus.flatMap { (400..<500).contains($0) ? $0 : nil } ?? 502
        var message = "Cluster \(error.clusterID) rejected the SparkApplication: \(error.message)"
        let causes = error.causes.compactMap { cause -> String? in
            guard let field = cause.field else { return cause.message }
            return "\(field): \(cause.message ?? "invalid")"
        }
        if !causes.isEmpty { message += " (" + causes.joined(separator: "; ") + ")" }
        return HTTPError(status, message)
    }

    /// The request as stored: queue token masked, pod environments removed.
    static func storedBody(_ request: SubmitApplicationRequest) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(request.redactedForStorage())).map { String(decoding: $0, as: UTF8.self) }
    }
}
