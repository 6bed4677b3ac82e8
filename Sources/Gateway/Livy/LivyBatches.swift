import Foundation
import GatewayCore
import KubeClient
import Logging
import Persistence
import Synchronization

/// Livy's batch operations over the gateway: a batch is a submission reached by an integer id from
/// the store's `livy_batch` table. Submits go through ``SubmissionService`` (queues, validation,
/// routing, failover, idempotency, records) and reads through ``ApplicationQueries`` (ownership,
/// monitor-fed records, status cache), so the Livy API adds mapping and nothing else.
struct LivyBatches: Sendable {
    let submissions: SubmissionService
    let queries: ApplicationQueries
    let store: any SubmissionStore
    let settings: GatewaySettings.Livy
    let logger: Logger

    /// The largest `size` a listing or log read returns, whatever the client asks.
    static let maxPageSize = 1000
    /// How long a log read follows a running driver before answering with what it has.
    static let logReadBudget: Duration = .seconds(2)
    /// The most log bytes one read collects.
    static let maxLogBytes = 8 << 20

    // MARK: Submit

    /// Submits `batch` as `user` and returns its batch id and submission id.
    func submit(_ batch: LivyBatchRequest, user: AuthenticatedUser, idempotencyKey: String?) async throws
        -> (batchId: Int64, submissionId: String)
    {
        let dagUser = try Self.dagUser(proxyUser: batch.proxyUser, caller: user.name)
        let configuration = queries.configuration
        let request = batch.submitRequest(settings: settings, configuration: configuration)
        let submissionId = try await submissions.submit(
            .init(request: request, user: user, dagUser: dagUser, idempotencyKey: idempotencyKey))
        return (try await assignBatchId(submissionId), submissionId)
    }

    /// `proxyUser` under BPG's rule for `dagUser`: only the Airflow system account runs jobs as
    /// someone else; anyone may name themselves.
    static func dagUser(proxyUser: String?, caller: String) throws -> String? {
        guard let proxyUser, !proxyUser.isEmpty, proxyUser != caller else { return nil }
        guard SubmissionPlanner.airflowSystemAccounts.contains(caller) else {
            throw GatewayError(
                .forbidden, "proxyUser: user \(caller) may not submit as \(proxyUser) (only the Airflow system account may)")
        }
        return proxyUser
    }

    /// The batch id of a created submission. Retried a few times because the job already exists: a
    /// lost assignment would leave it unreachable by Livy id (it stays reachable by submission id).
    private func assignBatchId(_ submissionId: String) async throws -> Int64 {
        var lastError: (any Error)?
        for attempt in 1...3 {
            do {
                return try await store.livyBatchId(forSubmission: submissionId, at: Date())
            } catch {
                lastError = error
                logger.warning(
                    "could not assign a Livy batch id",
                    metadata: ["submission_id": submissionId, "attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
        logger.error("Livy batch id not assigned", metadata: ["submission_id": submissionId, "error": "\(lastError.map { "\($0)" } ?? "")"])
        throw GatewayError.unavailable(
            "The batch was submitted as \(submissionId) but no Livy batch id could be recorded; "
                + "read it through the gateway's API with that submission id.")
    }

    // MARK: Reads

    /// The submission a batch id names, or Livy's 404.
    func batch(_ batchId: Int64) async throws -> LivyBatch {
        guard let batch = try await storeRead({ try await store.livyBatch(id: batchId) }) else {
            throw LivyErrorMapping.notFound(batchId)
        }
        return batch
    }

    /// Livy's view of a batch; ownership is checked by the status read.
    func view(_ batch: LivyBatch, user: AuthenticatedUser, links: LivyLinks) async throws -> LivyBatchView {
        let record = try await storeRead { try await store.submission(id: batch.submissionId) }
        let (state, status) = try await state(batch, record: record, user: user)
        let appId = status?.sparkApplicationId ?? record?.appId
        let requestName = record.flatMap(ApplicationQueries.storedRequest)?.applicationName
        var appInfo: [String: String?] = [
            "driverLogUrl": appId == nil ? nil : links.driverLog(submissionId: batch.submissionId),
            "sparkUiUrl": status?.sparkUIUrl,
        ]
        appInfo["submissionId"] = batch.submissionId
        return LivyBatchView(
            id: batch.batchId, name: requestName ?? record?.appName, owner: record?.user, proxyUser: record?.user,
            state: state, appId: appId, appInfo: appInfo, log: [])
    }

    /// Livy's state, with the gateway's status answer when there is one. An application that is gone
    /// from its cluster (deleted, or never created) is answered from its record; so is one whose
    /// cluster cannot answer right now, because Livy pollers (Airflow's operator) fail the task on an
    /// error, while the record's state (kept current by the monitor) only delays what they see.
    func state(_ batch: LivyBatch, record: SubmissionRecord?, user: AuthenticatedUser) async throws
        -> (String, GetSubmissionStatusResponse?)
    {
        do {
            let status = try await queries.status(of: batch.submissionId, for: user)
            return (LivyBatchState.from(status.applicationState), status)
        } catch let error as SubmissionError where error.status == 404 {
            guard let record else { throw error }
            if let state = record.status, SubmissionState.terminal.contains(state) {
                return (LivyBatchState.from(state), nil)
            }
            return (LivyBatchState.killed, nil)
        } catch let error as GatewayError where error.code == .unavailable || error.code == .badGateway {
            // Ownership was checked before the cluster was asked (from the record), so the record
            // may be shown; without one there is nothing to say but the error.
            guard let record, record.user != nil else { throw error }
            return (LivyBatchState.from(record.status), nil)
        }
    }

    /// A page of batches: the caller's own when ownership is enforced (admins see all), else all.
    func list(user: AuthenticatedUser, from: Int, size: Int, links: LivyLinks) async throws -> LivyBatchList {
        let owner = queries.enforceOwnership && !user.isAdmin ? user.name : nil
        let page = try await storeRead {
            try await store.livyBatches(user: owner, from: from, size: min(size, Self.maxPageSize))
        }
        var sessions: [LivyBatchView] = []
        for batch in page.batches {
            do {
                sessions.append(try await view(batch, user: user, links: links))
            } catch let error as GatewayError where error.code == .forbidden {
                continue
            }
        }
        return LivyBatchList(from: from, total: page.total, sessions: sessions)
    }

    /// The driver's log as lines, `size` of them from `from`; by default the last 100, as Livy.
    func log(_ batch: LivyBatch, user: AuthenticatedUser, from: Int?, size: Int?) async throws -> LivyBatchLog {
        let lines = try await logLines(batch, user: user)
        let size = min(size ?? 100, Self.maxPageSize)
        let start = min(from ?? max(0, lines.count - size), lines.count)
        let end = min(lines.count, start + size)
        return LivyBatchLog(id: batch.batchId, from: start, total: lines.count, log: Array(lines[start..<end]))
    }

    private func logLines(_ batch: LivyBatch, user: AuthenticatedUser) async throws -> [String] {
        // Ownership (and the batch's existence on its cluster) first: the log target checks the owner
        // only when a driver pod exists.
        _ = try await state(batch, record: try await storeRead { try await store.submission(id: batch.submissionId) }, user: user)
        guard
            let target = try await queries.logTarget(
                submissionId: batch.submissionId, appId: "", executorId: "", user: user)
        else { return [] }
        let stream: AsyncThrowingStream<Data, any Error>
        do {
            stream = try await target.cluster.client.followLog(ofPod: target.podName, namespace: target.cluster.namespace)
        } catch {
            return []
        }
        let data = await Self.collect(stream, budget: Self.logReadBudget, maxBytes: Self.maxLogBytes)
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// What `stream` delivers until it ends, `maxBytes` arrive or `budget` passes (a running driver's
    /// log never ends; Livy answers with the lines so far).
    static func collect(_ stream: AsyncThrowingStream<Data, any Error>, budget: Duration, maxBytes: Int) async -> Data {
        let collected = LogBuffer()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await chunk in stream {
                        let full = collected.data.withLock { data -> Bool in
                            data.append(chunk.prefix(max(0, maxBytes - data.count)))
                            return data.count >= maxBytes
                        }
                        if full { return }
                    }
                } catch {
                    // A broken stream ends the read with what arrived.
                }
            }
            group.addTask { try? await Task.sleep(for: budget) }
            await group.next()
            group.cancelAll()
        }
        return collected.data.withLock { $0 }
    }

    /// Shared by the reading task and the caller of ``collect(_:budget:maxBytes:)``.
    private final class LogBuffer: Sendable {
        let data = Mutex(Data())
    }

    // MARK: Delete

    func delete(_ batch: LivyBatch, user: AuthenticatedUser) async throws {
        try await queries.delete(batch.submissionId, for: user)
    }

    /// A store read; a failing store is a 503, as on the gateway's own routes.
    private func storeRead<T>(_ read: () async throws -> T) async throws -> T {
        do {
            return try await read()
        } catch {
            logger.error("submission store unavailable", metadata: ["error": "\(error)"])
            throw GatewayError.unavailable("The submission store is unavailable. Please retry later.")
        }
    }
}

/// Absolute links for `appInfo`, from the address the client used.
struct LivyLinks: Sendable {
    /// `scheme://host` as the client reached the gateway.
    var origin: String
    var contextPath: String

    func driverLog(submissionId: String) -> String {
        let root = contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath
        return "\(origin)\(root)/log?subId=\(submissionId)"
    }
}
