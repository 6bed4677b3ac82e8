import Foundation
import GatewayCore
import KubeClient
import Logging
import ObjectStorage
import Persistence
import Synchronization

/// Copies the logs of finished applications from their pods to `sparkLogS3Bucket` and records them
/// in BPG's `logindex`, so `GET <root>/log` can serve them after the pods are gone.
///
/// The work is driven by the store's `log_archive` rows, not by memory, so nothing is lost to a
/// restart, an S3 outage or a change of monitor:
/// 1. When a cluster's monitor sees an application finish, ``enqueue(_:cluster:)`` records one task
///    per container (the driver; executors when `logArchive.executorLogs`), before the record is
///    marked finished, so a crash in between is repaired by the next re-list.
/// 2. The active monitor of the cluster calls ``sweep(cluster:holder:)`` periodically: it claims due
///    tasks with a conditional update (two replicas never both get one), streams each pod log into an
///    upload (`PutObject`, multipart above the part size), and marks the task archived together with
///    its `logindex` row.
/// 3. A failure puts the task back with a doubling delay (S3 down, wrong credentials, the API server
///    unreachable); a pod that is gone makes it `unavailable`; after `maxAttempts` it is `failed`.
///
/// A claim expires after `claimSeconds`, so a replica that died mid-upload is replaced; the key is a
/// function of the task alone, so a second upload rewrites the same object, and the index row is
/// added once.
final class LogArchiver: Sendable {
    let bucket: String
    let settings: LogArchiveSettings
    private let client: S3Client
    private let store: any SubmissionStore
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let counters = Mutex(Counts())

    /// What this replica's archiver did since start.
    struct Counts: Sendable, Equatable {
        /// Uploads that completed (an upload that lost the race to complete is counted too).
        var uploads = 0
        /// Tasks this replica marked archived.
        var archived = 0
        /// Attempts that failed and were put back (or given up).
        var failures = 0
        /// Tasks whose pod was gone.
        var unavailable = 0
    }

    init(
        bucket: String, settings: LogArchiveSettings, client: S3Client, store: any SubmissionStore, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.bucket = bucket
        self.settings = settings
        self.client = client
        self.store = store
        self.logger = logger
        self.now = now
    }

    var counts: Counts { counters.withLock { $0 } }

    // MARK: Recording

    /// Records the archive tasks of a finished application (idempotent: a container already recorded
    /// is left as it is). An application that never had a driver pod has nothing to archive.
    func enqueue(_ observation: ApplicationObservation, cluster: GatewayCluster) async throws {
        guard let driverPod = observation.driverPodName, !driverPod.isEmpty else { return }
        let ended = observation.terminationTime ?? now()
        var pods = [(LogArchiveLayout.driverContainer(observation.name), driverPod)]
        if settings.executorLogs {
            for pod in observation.executorPodNames {
                guard let number = LogArchiveLayout.executorNumber(ofPod: pod) else { continue }
                pods.append((LogArchiveLayout.executorContainer(observation.name, executor: number), pod))
            }
        }
        for (container, pod) in pods {
            let place = LogArchiveLayout.key(submissionId: observation.name, containerId: container, ended: ended)
            let task = LogArchiveTask(
                containerId: container, submissionId: observation.name, clusterId: cluster.id, namespace: cluster.namespace,
                podName: pod, s3Key: place.key, date: place.date, hour: place.hour, nextAttempt: now())
            if try await store.enqueueLogArchive(task) {
                logger.debug("log archive recorded", metadata: ["container": "\(container)", "key": "\(place.key)"])
            }
        }
    }

    // MARK: Archiving

    /// Claims the cluster's due tasks and archives them one at a time; returns how many it claimed.
    /// Store failures are logged, and the tasks wait for the next sweep.
    @discardableResult
    func sweep(cluster: GatewayCluster, holder: String) async -> Int {
        let claimed: [LogArchiveTask]
        do {
            claimed = try await store.claimLogArchives(
                clusterId: cluster.id, holder: holder, now: now(), claimFor: .seconds(settings.claimSeconds),
                limit: settings.batchSize)
        } catch {
            logger.warning("log archive claim failed", metadata: ["cluster": "\(cluster.id)", "error": "\(error)"])
            return 0
        }
        for task in claimed {
            if Task.isCancelled {
                // Handed back at once rather than held until the claim expires.
                await setBack(task, holder: holder, .retry(at: now(), error: "the monitor stopped before this attempt"))
                continue
            }
            await archive(task, cluster: cluster, holder: holder)
        }
        return claimed.count
    }

    /// One attempt at a claimed task.
    func archive(_ task: LogArchiveTask, cluster: GatewayCluster, holder: String) async {
        var metadata: Logger.Metadata = [
            "submission": "\(task.submissionId)", "container": "\(task.containerId)", "bucket": "\(bucket)", "key": "\(task.s3Key)",
            "attempt": "\(task.attempts)",
        ]
        let stream: AsyncThrowingStream<Data, any Error>
        do {
            stream = try await cluster.client.log(ofPod: task.podName, namespace: task.namespace)
        } catch where error.code == .notFound || error.code == .badRequest {
            // Gone (deleted, or its time to live passed) or never started: no log will ever come.
            counters.withLock { $0.unavailable += 1 }
            logger.warning("log not archived: the pod is gone", metadata: metadata.merging(["pod": "\(task.podName)", "error": "\(error)"]) { $1 })
            await setBack(task, holder: holder, .unavailable("pod \(task.podName): \(error.message)"))
            return
        } catch {
            await failed(task, holder: holder, error: "reading the log of pod \(task.podName) failed: \(error)", metadata: metadata)
            return
        }
        var source = PodLogSource(stream)
        do {
            let result = try await client.putObject(bucket: bucket, key: task.s3Key, from: &source, contentType: "text/plain; charset=utf-8")
            counters.withLock { $0.uploads += 1 }
            metadata["bytes"] = "\(result.size)"
        } catch {
            // The description carries S3's code and message (never a credential), e.g. that the
            // credentials were refused, or why the pod's log stream broke: the operator sees why
            // here; the task waits for a retry.
            await failed(task, holder: holder, error: "upload to s3://\(bucket)/\(task.s3Key) failed: \(error)", metadata: metadata)
            return
        }
        do {
            if try await store.completeLogArchive(containerId: task.containerId, at: now()) {
                counters.withLock { $0.archived += 1 }
                logger.info("log archived", metadata: metadata)
            } else {
                logger.debug("log already archived by another attempt", metadata: metadata)
            }
        } catch {
            // The object is stored; the task stays claimed and is retried after the claim expires,
            // which uploads the same object again and then records it.
            logger.warning("log archived but not recorded", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// The delay before attempt `attempts + 1`: `retryInitialSeconds` doubled per failed attempt,
    /// at most `retryMaxSeconds`.
    static func backoff(afterAttempt attempts: Int, settings: LogArchiveSettings) -> Duration {
        let doublings = min(max(attempts - 1, 0), 30)
        let seconds = min(Double(settings.retryInitialSeconds) * pow(2, Double(doublings)), Double(settings.retryMaxSeconds))
        return .milliseconds(Int64(seconds * 1000))
    }

    private func failed(_ task: LogArchiveTask, holder: String, error: String, metadata: Logger.Metadata) async {
        counters.withLock { $0.failures += 1 }
        if task.attempts >= settings.maxAttempts {
            logger.error(
                "log archive given up after \(task.attempts) attempts",
                metadata: metadata.merging(["error": "\(error)"]) { $1 })
            await setBack(task, holder: holder, .failed(error))
            return
        }
        let delay = Self.backoff(afterAttempt: task.attempts, settings: settings)
        let retryAt = now().addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
        logger.warning(
            "log archive failed; retrying later",
            metadata: metadata.merging(["error": "\(error)", "retry_in_seconds": "\(delay.components.seconds)"]) { $1 })
        await setBack(task, holder: holder, .retry(at: retryAt, error: error))
    }

    private func setBack(_ task: LogArchiveTask, holder: String, _ setback: LogArchiveSetback) async {
        do {
            try await store.deferLogArchive(containerId: task.containerId, holder: holder, setback, at: now())
        } catch {
            // The claim then expires and the task is taken again: nothing is lost.
            logger.warning("log archive state not saved", metadata: ["container": "\(task.containerId)", "error": "\(error)"])
        }
    }
}
