import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import Persistence

/// Failover and idempotency for ``SubmissionService``: the create on one candidate (with the health
/// report and the timeout ambiguity check), and the idempotency-key chain that survives failover.
extension SubmissionService {
    /// Creates `application` on `cluster`, reports the outcome to the health tracker, and returns the
    /// failure, or nil when the application exists on the cluster.
    ///
    /// A timeout is ambiguous: the API server may have stored the object and only the answer was lost.
    /// Before the caller moves on, the application is read back; if it is there, the create counts.
    func createApplication(_ application: SparkApplication, on cluster: GatewayCluster) async -> KubeError? {
        let start = ContinuousClock.now
        do {
            _ = try await cluster.client.create(json: application.jsonData(), in: .sparkApplications, namespace: cluster.namespace)
            health?.record(clusterId: cluster.id, error: nil, latency: ContinuousClock.now - start)
            return nil
        } catch {
            health?.record(clusterId: cluster.id, error: error, latency: ContinuousClock.now - start)
            guard error.code == .timeout, let name = application.metadata.name else { return error }
            // The check is bounded tighter than the create: a cluster that drops packets would otherwise
            // cost two more full request timeouts before the submission moves on.
            let bound = Self.ambiguityCheckTimeout(cluster)
            let client = cluster.client
            let namespace = cluster.namespace
            do {
                _ = try await KubeDeadline.run(bound, clusterId: cluster.id, what: "read-back") { () async throws(KubeError) in
                    try await client.get(UntypedObject.self, .sparkApplications, namespace: namespace, name: name)
                }
                logger.warning(
                    "create timed out but the application exists: counted as created",
                    metadata: ["submission_id": name, "cluster": cluster.id])
                return nil
            } catch let lookup where lookup.code == .notFound {
                return error
            } catch let lookup {
                // Neither answer: the create may still land, and the submission is about to move to
                // another cluster. A compensating delete (the API server handles requests in arrival
                // order, even ones whose client gave up) keeps the job from running twice; if it
                // cannot be sent either, the record says SUBMISSION_FAILED and the monitor sees the
                // application should it appear.
                logger.warning(
                    "create timed out and the application could not be read back: deleting it",
                    metadata: ["submission_id": name, "cluster": cluster.id, "error": "\(lookup)"])
                do {
                    try await KubeDeadline.run(bound, clusterId: cluster.id, what: "compensating delete") { () async throws(KubeError) in
                        try await client.delete(.sparkApplications, namespace: namespace, name: name)
                    }
                } catch let deletion where deletion.code != .notFound {
                    logger.warning(
                        "compensating delete failed", metadata: ["submission_id": name, "cluster": cluster.id, "error": "\(deletion)"])
                } catch {}
                return error
            }
        }
    }

    /// How long the read-back and the compensating delete after a timed-out create may take: the
    /// cluster's request timeout, at most 5 s.
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
            throw HTTPError(
                400, "\(field) must be 1 to \(maxIdempotencyKeyLength) printable ASCII characters without spaces")
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
                throw HTTPError(409, "Idempotency-Key \(key) was already used by this user for a different request")
            }
            // Another request with this key is creating the application: its outcome decides.
            let deadline = ContinuousClock.now + .seconds(30)
            while record.status == SubmissionState.accepted, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                guard let fresh = try await storedSubmission(user: user, idempotencyKey: slotKey) else { break }
                record = fresh
            }
            if record.status != SubmissionState.submissionFailed { return .existing(record.submissionId) }
            slot += 1
        }
        throw HTTPError(409, "Idempotency-Key \(key) was used for too many failed attempts; use a new key")
    }

    private func storedSubmission(user: String, idempotencyKey: String) async throws -> SubmissionRecord? {
        do {
            return try await metrics.measureStore("find_idempotency_key") {
                try await store.submission(user: user, idempotencyKey: idempotencyKey)
            }
        } catch {
            logger.error("submission store unavailable", metadata: ["error": "\(error)"])
            throw HTTPError(
                503, "The submission store is unavailable; nothing was submitted. Please retry later.",
                headers: ["Retry-After": "5"])
        }
    }

    /// Another request with the same key won the insert: wait for its outcome and return its id.
    func idempotentWinner(key: String, user: String, body: String?) async throws -> String {
        switch try await resolveIdempotencyKey(key, user: user, body: body) {
        case .existing(let id):
            return id
        case .nextSlot:
            throw HTTPError(
                503, "A concurrent request with Idempotency-Key \(key) failed to submit; please retry later.",
                headers: ["Retry-After": "5"])
        }
    }
}
