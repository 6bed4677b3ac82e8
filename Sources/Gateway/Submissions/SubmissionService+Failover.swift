import Foundation
import GatewayCore
import KubeClient
import Persistence

/// Failover and idempotency for ``SubmissionService``: the create on one candidate (with the health
/// report and the timeout ambiguity check), and the idempotency-key chain that survives failover.
extension SubmissionService {
    /// How one create attempt ended.
    enum AttemptOutcome: Sendable {
        /// The application exists on the cluster (answered, or confirmed after an unknown outcome).
        case created
        /// The cluster answered that it did not create it; the record says `SUBMISSION_FAILED`.
        case failed(KubeError)
        /// The outcome was unknown and the attempt is fenced: it will never run.
        case fenced(KubeError)
        /// The outcome is unknown and stays so for now (the gateway is shutting down): the record
        /// says `OUTCOME_UNKNOWN` for the resolver and the monitor to settle.
        case unsettled(KubeError)
    }

    /// Creates `application` on `cluster`, reports the outcome to the health tracker, and records it.
    /// An unknown outcome is never taken for a failure: it is confirmed or fenced (``AttemptFencing``).
    func attempt(_ application: SparkApplication, submissionId: String, on cluster: GatewayCluster) async -> AttemptOutcome {
        let start = ContinuousClock.now
        do {
            try await cluster.client.createApplication(json: application.jsonData(), namespace: cluster.namespace)
            health?.record(clusterId: cluster.id, error: nil, latency: ContinuousClock.now - start)
        } catch where error.code == .alreadyExists {
            // The name is this attempt's own (the cluster id and 128 random bits): only an earlier
            // transmission of this very create can have stored it. libcurl sends a create again by
            // itself when a kept-alive connection closes without an answer (a load balancer that
            // forwarded it and dropped the reply), and a proxy may retry it too. The application
            // exists: the attempt is created, never a 409 for the client while its job runs.
            health?.record(clusterId: cluster.id, error: nil, latency: ContinuousClock.now - start)
            logger.warning(
                "create answered AlreadyExists for the attempt's own new name: an earlier transmission landed; counted as created",
                metadata: ["submission_id": submissionId, "cluster": cluster.id])
        } catch {
            health?.record(clusterId: cluster.id, error: error, latency: ContinuousClock.now - start)
            guard error.outcomeIsUnknown else {
                await markFailed(submissionId, error: error)
                return .failed(error)
            }
            await markOutcomeUnknown(submissionId, error: error)
            if error.code == .shutdown || error.code == .cancelled { return .unsettled(error) }
            let reason = "the create's outcome was unknown (\(error)); abandoned, and any application that appears "
                + "for it is deleted"
            switch await fencing.settle(
                submissionId: submissionId, on: cluster, reason: reason, bound: Self.ambiguityCheckTimeout(cluster))
            {
            case .created: return .created
            case .fenced: return .fenced(error)
            }
        }
        // The one synchronous write of a submission was its record; the outcome follows in the
        // background (the record already names the application, so a crash before the write loses
        // nothing: the monitor or the resolver brings the record up to date).
        outcomes.recordCreated(submissionId: submissionId, at: Date())
        return .created
    }

    /// Records that the outcome is unknown. A few retries: the resolver only settles rows it can find.
    private func markOutcomeUnknown(_ submissionId: String, error: KubeError) async {
        for attempt in 1...3 {
            do {
                _ = try await metrics.measureStore("mark_outcome_unknown") {
                    try await store.markOutcomeUnknown(submissionId: submissionId, error: error.description, at: Date())
                }
                return
            } catch {
                logger.error(
                    "could not record an unknown create outcome", metadata: ["submission_id": submissionId, "attempt": "\(attempt)"])
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    /// How long the read-back after a create of unknown outcome may take: the cluster's request
    /// timeout, at most 5 s (a cluster that drops packets would otherwise cost more full timeouts).
    static func ambiguityCheckTimeout(_ cluster: GatewayCluster) -> Duration {
        .milliseconds(min(max(cluster.configuration.timeoutMillis, 1), 5_000))
    }

    /// The outcome of looking an idempotency key up.
    enum IdempotencyResolution: Equatable {
        /// The key already names this submission: return it, create nothing.
        case existing(String)
        /// Every earlier attempt under the key failed (or there was none): attempts use slots from here.
        case nextSlot(Int)
    }

    /// The stored key of attempt `slot` under the client's key. The first attempt stores the key as
    /// sent; a failover attempt (or a retry after every attempt failed) stores `key#slot`, so the
    /// store's unique (user, key) index keeps guarding each attempt and a retry finds the last one.
    static func idempotencySlotKey(_ key: String, slot: Int) -> String {
        slot <= 1 ? key : "\(key)#\(slot)"
    }

    /// The longest key a client may send (the column holds 255 characters, the slot suffix needs room).
    static let maxIdempotencyKeyLength = 200

    /// Checks a client's idempotency key: 1 to 200 printable ASCII characters.
    static func validateIdempotencyKey(_ key: String, field: String) throws {
        guard key.count <= maxIdempotencyKeyLength, key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) })
        else {
            throw GatewayError.badRequest(
                "\(field) must be 1 to \(maxIdempotencyKeyLength) printable ASCII characters without spaces")
        }
    }

    /// Follows the key's attempts: a different body is a 409; an attempt still in flight (ACCEPTED) is
    /// waited for; a failed attempt leads to the next slot; anything else is the submission.
    func resolveIdempotencyKey(_ key: String, user: String, body: String?) async throws -> IdempotencyResolution {
        var slot = 1
        while slot <= 64 {
            let slotKey = Self.idempotencySlotKey(key, slot: slot)
            guard var record = try await storedSubmission(user: user, idempotencyKey: slotKey) else {
                return .nextSlot(slot)
            }
            if record.requestBody != body {
                throw GatewayError(.conflict, "Idempotency-Key \(key) was already used by this user for a different request")
            }
            // Another request with this key is creating the application: its outcome decides.
            let deadline = ContinuousClock.now + .seconds(30)
            while record.status == SubmissionState.accepted, ContinuousClock.now < deadline {
                // Created by this process, its record about to say so.
                if outcomes.isCreatedButUnwritten(record.submissionId) { return .existing(record.submissionId) }
                try await Task.sleep(for: .milliseconds(50))
                guard let fresh = try await storedSubmission(user: user, idempotencyKey: slotKey) else { break }
                record = fresh
            }
            // Still in flight after the wait (its process died), or of unknown outcome: settle it
            // now, so the key follows the attempt that survives.
            if record.status == SubmissionState.accepted || record.status == SubmissionState.outcomeUnknown {
                if await settleForRetry(record) == .created { return .existing(record.submissionId) }
                slot += 1
                continue
            }
            if record.status != SubmissionState.submissionFailed, record.status != SubmissionState.fenced {
                return .existing(record.submissionId)
            }
            slot += 1
        }
        throw GatewayError(.conflict, "Idempotency-Key \(key) was used for too many failed attempts; use a new key")
    }

    /// Settles an earlier attempt under the client's key whose outcome is not known.
    private func settleForRetry(_ record: SubmissionRecord) async -> AttemptFencing.Settlement {
        guard let clusterId = record.clusterId, let cluster = clusters.cluster(id: clusterId) else {
            // Its cluster is no longer configured: nothing can run there for this gateway to see.
            _ = try? await store.fence(
                submissionId: record.submissionId, reason: "retried after its cluster was removed", at: Date())
            return .fenced
        }
        return await fencing.settle(
            submissionId: record.submissionId, on: cluster,
            reason: "retried with the same Idempotency-Key while the create's outcome was unknown; abandoned, and any "
                + "application that appears for it is deleted",
            bound: Self.ambiguityCheckTimeout(cluster))
    }

    private func storedSubmission(user: String, idempotencyKey: String) async throws -> SubmissionRecord? {
        do {
            return try await metrics.measureStore("find_idempotency_key") {
                try await store.submission(user: user, idempotencyKey: idempotencyKey)
            }
        } catch {
            logger.error("submission store unavailable", metadata: ["error": "\(error)"])
            throw GatewayError.unavailable("The submission store is unavailable; nothing was submitted. Please retry later.")
        }
    }

    /// Another request with the same key won the insert: wait for its outcome and return its id.
    func idempotentWinner(key: String, user: String, body: String?) async throws -> String {
        switch try await resolveIdempotencyKey(key, user: user, body: body) {
        case .existing(let id):
            return id
        case .nextSlot:
            throw GatewayError.unavailable("A concurrent request with Idempotency-Key \(key) failed to submit; please retry later.")
        }
    }
}
