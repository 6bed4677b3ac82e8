import Foundation
import KubeClient
import Logging
import Persistence
import Synchronization

/// Settles records left between states: `OUTCOME_UNKNOWN` (a create whose answer was lost, or cut by
/// a shutdown) and `ACCEPTED` rows older than the unknown-outcome window (the process died during the
/// create). Every `interval` it reads such rows and asks their cluster:
/// - the application exists: the create is confirmed (`CREATED`), and the monitor takes over;
/// - it does not, and the window has passed since the attempt: no create can land any more, so the
///   attempt is fenced (never ran; any late application is deleted by the monitor);
/// - otherwise it is looked at again next time.
///
/// Every replica may run it: the store's transitions are conditional, so two resolvers, a resolver and
/// the monitor, or a resolver and a retried submission never disagree.
final class UnknownOutcomeResolver: Sendable {
    private let clusters: ClusterDirectory
    private let store: any SubmissionStore
    private let fencing: AttemptFencing
    private let window: Duration
    private let interval: Duration
    private let logger: Logger
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(
        clusters: ClusterDirectory, store: any SubmissionStore, fencing: AttemptFencing, window: Duration,
        interval: Duration = .seconds(10), logger: Logger
    ) {
        self.clusters = clusters
        self.store = store
        self.fencing = fencing
        self.window = window
        self.interval = interval
        self.logger = logger
    }

    func start() {
        loop.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    await resolveOnce(now: Date())
                    try? await Task.sleep(for: interval)
                }
            }
        }
    }

    func stop() async {
        let task = loop.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
    }

    /// One pass over unsettled rows; returns how many it settled.
    @discardableResult
    func resolveOnce(now: Date) async -> Int {
        let windowSeconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let windowStart = now.addingTimeInterval(-windowSeconds)
        var settled = 0
        do {
            let unknown = try await store.listSubmissions(SubmissionQuery(status: SubmissionState.outcomeUnknown, limit: 200))
            let stale = try await store.listSubmissions(
                SubmissionQuery(status: SubmissionState.accepted, createdBefore: windowStart, limit: 200))
            for record in unknown.records + stale.records {
                if Task.isCancelled { break }
                if await resolve(record, windowStart: windowStart) { settled += 1 }
            }
        } catch {
            logger.warning("unknown-outcome resolver could not read the store", metadata: ["error": "\(error)"])
        }
        return settled
    }

    private func resolve(_ record: SubmissionRecord, windowStart: Date) async -> Bool {
        guard let clusterId = record.clusterId, let cluster = clusters.cluster(id: clusterId) else { return false }
        let id = record.submissionId
        do {
            try await cluster.client.readApplicationBack(named: id, namespace: cluster.namespace)
            let confirmed = (try? await store.markCreated(submissionId: id, at: Date())) ?? false
            if confirmed {
                logger.info("attempt of unknown outcome exists: confirmed", metadata: ["submission_id": id, "cluster": clusterId])
            }
            return confirmed
        } catch where error.code == .notFound {
            // The attempt's time: when it became unknown, else when it was recorded.
            let attempted = record.updatedTime ?? record.createdTime ?? .distantPast
            guard attempted < windowStart else { return false }
            let settlement = await fencing.fence(
                submissionId: id, on: cluster,
                reason: "the create's outcome was unknown and the application never appeared; settled as not created",
                sweeping: false)
            return settlement == .fenced
        } catch {
            return false
        }
    }
}
