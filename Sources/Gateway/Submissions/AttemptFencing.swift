import Foundation
import KubeClient
import Logging
import Persistence
import Synchronization

/// Settles create attempts whose outcome is unknown, so that a job never runs twice and a client that
/// got an error has no job running.
///
/// An attempt is unknown when the create was sent and no answer said what happened (a timeout, a
/// dropped connection, a 5xx). The API server may have stored it, may store it later (it still works
/// through requests whose client gave up), or may never store it. Settling:
/// 1. Read the application back. If it is there, the attempt is confirmed: it counts as created.
/// 2. Otherwise fence it: the record moves to `FENCED` (only if nobody saw the application meanwhile;
///    the store refuses the fence once the monitor recorded a status, and then the attempt is
///    confirmed after all), and any application that appears for it is deleted — by the sweeper
///    below for the unknown-outcome window, and by the monitor whenever it sees one.
/// Only a fenced attempt may be replaced by another attempt on another cluster.
struct AttemptFencing: Sendable {
    let store: any SubmissionStore
    let sweeper: FenceSweeper
    let logger: Logger

    /// What settling decided.
    enum Settlement: Equatable, Sendable {
        /// The application exists: the attempt counts as created.
        case created
        /// The attempt is abandoned; any application that appears for it is deleted.
        case fenced
    }

    /// Settles `submissionId` on `cluster`: confirmed if the application can be read back within
    /// `bound`, fenced otherwise.
    func settle(submissionId: String, on cluster: GatewayCluster, reason: String, bound: Duration) async -> Settlement {
        let client = cluster.client
        let namespace = cluster.namespace
        do {
            _ = try await KubeDeadline.run(bound, clusterId: cluster.id, what: "read-back") { () async throws(KubeError) in
                try await client.readApplicationBack(named: submissionId, namespace: namespace)
            }
            logger.warning(
                "create outcome was unknown but the application exists: counted as created",
                metadata: ["submission_id": submissionId, "cluster": cluster.id])
            _ = try? await store.markCreated(submissionId: submissionId, at: Date())
            return .created
        } catch {
            // Not found, or no answer either: the create may still land, so fence it.
        }
        return await fence(submissionId: submissionId, on: cluster, reason: reason)
    }

    /// Fences `submissionId` without reading it back (the caller knows it is not there yet).
    /// - Parameter sweeping: delete the application by name for the window; false once the window
    ///   has passed (no create can land any more; the monitor still deletes any that appears).
    func fence(submissionId: String, on cluster: GatewayCluster, reason: String, sweeping: Bool = true) async -> Settlement {
        do {
            if try await store.fence(submissionId: submissionId, reason: reason, at: Date()) {
                if sweeping { sweeper.sweep(submissionId: submissionId, on: cluster) }
                logger.warning(
                    "attempt of unknown outcome fenced", metadata: ["submission_id": submissionId, "cluster": cluster.id])
                return .fenced
            }
            // Refused: the record moved on, normally because the monitor saw the application.
            let record = try await store.submission(id: submissionId)
            if record?.status == SubmissionState.fenced {
                sweeper.sweep(submissionId: submissionId, on: cluster)
                return .fenced
            }
            if record?.status == SubmissionState.submissionFailed { return .fenced }
            logger.info(
                "attempt of unknown outcome confirmed by its record",
                metadata: ["submission_id": submissionId, "cluster": cluster.id, "status": record?.status ?? "none"])
            return .created
        } catch {
            // The store cannot say. The sweeper still keeps any application from running, so the
            // attempt can be abandoned; its record stays unknown for the resolver to settle later.
            logger.error(
                "could not record a fence; deleting any application that appears",
                metadata: ["submission_id": submissionId, "cluster": cluster.id, "error": "\(error)"])
            sweeper.sweep(submissionId: submissionId, on: cluster)
            return .fenced
        }
    }
}

/// Deletes the application of fenced attempts for as long as a lost create may still land.
///
/// Deletes are idempotent and names are unique submission ids, so a sweep can only ever remove the
/// fenced attempt's own application. The first delete goes out at once; later ones back off up to
/// `maxInterval` until `window` has passed since the sweep started.
final class FenceSweeper: Sendable {
    private let window: Duration
    private let maxInterval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var tasks: [String: Task<Void, Never>] = [:]
        var closed = false
        var deletedApplications = 0
    }

    init(window: Duration, maxInterval: Duration = .seconds(10), logger: Logger) {
        self.window = window
        self.maxInterval = maxInterval
        self.logger = logger
    }

    /// Applications that appeared for fenced attempts and were deleted.
    var deletedApplications: Int { state.withLock { $0.deletedApplications } }

    /// Sweeps still running.
    var activeSweeps: Int { state.withLock { $0.tasks.count } }

    /// Starts deleting `submissionId` on `cluster` for the window (once per id).
    func sweep(submissionId: String, on cluster: GatewayCluster) {
        state.withLock { current in
            guard !current.closed, current.tasks[submissionId] == nil else { return }
            current.tasks[submissionId] = Task { [self] in
                await run(submissionId: submissionId, on: cluster)
                _ = state.withLock { $0.tasks.removeValue(forKey: submissionId) }
            }
        }
    }

    private func run(submissionId: String, on cluster: GatewayCluster) async {
        let deadline = ContinuousClock.now + window
        var interval = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                try await cluster.client.deleteApplication(named: submissionId, namespace: cluster.namespace)
                state.withLock { $0.deletedApplications += 1 }
                logger.warning(
                    "deleted the application of a fenced attempt",
                    metadata: ["submission_id": submissionId, "cluster": cluster.id])
            } catch where error.code == .notFound {
                // Not there (yet): keep watching until the window closes.
            } catch {
                logger.debug(
                    "fence sweep delete failed", metadata: ["submission_id": submissionId, "cluster": cluster.id, "error": "\(error)"])
            }
            if ContinuousClock.now >= deadline { return }
            try? await Task.sleep(for: min(interval, deadline - ContinuousClock.now))
            interval = min(interval * 2, maxInterval)
        }
    }

    /// Stops every sweep (the monitor keeps deleting fenced applications after a restart).
    func shutdown() async {
        let tasks = state.withLock { state in
            state.closed = true
            defer { state.tasks.removeAll() }
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
