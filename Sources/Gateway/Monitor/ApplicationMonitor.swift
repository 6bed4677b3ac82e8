import Foundation
import GatewayCore
import KubeClient
import Logging
import Persistence
import Synchronization

/// Watches one cluster's `SparkApplication`s (the gateway's namespace; the gateway's applications and
/// BPG's, by their labels) and writes what it sees to the store: status transitions, app id, start
/// time and resources, finish time and cost, and every other input of the status response.
///
/// Only the replica holding the store lease `monitor/<cluster>` watches; the others stand by and
/// try to take the lease every `acquireInterval`. Every (re-)list is a reconciliation: applications
/// that changed while no monitor ran get their records brought up to date.
///
/// The holder also enforces `maxRunningMillis` on applications that are running, from the driver
/// start, as BPG does: it deletes the driver pod, so the operator fails the application, which stays
/// visible with the reason in its record's note. With a `LogArchiver` (`sparkLogS3Bucket` set), it
/// records the logs of applications that finish and, while it holds the lease, archives them.
final class ApplicationMonitor: Sendable {
    let cluster: GatewayCluster
    private let store: any SubmissionStore
    private let settings: MonitorSettings
    private let rates: CostRates?
    private let logger: Logger
    /// Told of each state change this monitor records, so open status streams send it at once.
    private let statusChanges: StatusChangeSignal?
    /// Archives the logs of finished applications; nil when `sparkLogS3Bucket` is not set.
    let archiver: LogArchiver?
    private let state = Mutex(State())
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// What the watch knows about one application.
    private struct Tracked {
        var version: Int64
        var state: String
        var appId: String?
        /// When the driver started, once known (the time limit counts from here).
        var driverStart: Date?
        var jobInfoRecorded: Bool
        var maxRunningMillis: Int64
        /// A delete for running too long was sent; not sent again.
        var deleteSent = false
        /// The record says FENCED: the gateway abandoned this attempt, so the application must not run.
        var fenced = false
        /// The observed details last written to the record (nil: none yet).
        var details: ObservedApplication?
        /// Its log archive tasks are recorded (or it finished before this monitor saw it).
        var archiveRecorded = false
        /// A started driver whose start time could not be read yet (its pod not listed, or the list
        /// failed): read again periodically, since a running application may send no further event.
        var awaitingDriverStart: ApplicationObservation?
    }

    private struct State {
        var active = false
        /// The last attempt to take the lease found another replica holding it.
        var leaderElsewhere = false
        var holdsLease = false
        /// Every application seen, by name. Read through `tracked`; written only through `track(_:_:)`
        /// and `forgetAll()`, which keep the backlog counts below in step.
        private(set) var tracked: [String: Tracked] = [:]
        /// Backlog counts kept incrementally: routing asks on every submission, and scanning every
        /// tracked application each time is O(applications) under the lock.
        private(set) var pending = 0
        private(set) var running = 0
        var eventsProcessed = 0
        var lastEventLag: Duration = .zero
        var deletedForRunningTooLong = 0
        var deletedFencedApplications = 0
        var resyncCount = 0

        /// Sets (or, with nil, removes) an application's tracking and adjusts the backlog counts.
        mutating func track(_ name: String, _ value: Tracked?) -> Tracked? {
            let old = value == nil ? tracked.removeValue(forKey: name) : tracked.updateValue(value!, forKey: name)
            count(old?.state, by: -1)
            count(value?.state, by: 1)
            return old
        }

        mutating func forgetAll() {
            tracked.removeAll()
            pending = 0
            running = 0
        }

        private mutating func count(_ state: String?, by delta: Int) {
            guard let state else { return }
            if ApplicationObservation.pendingStates.contains(state) {
                pending += delta
            } else if ApplicationObservation.runningStates.contains(state) {
                running += delta
            }
        }
    }

    init(
        cluster: GatewayCluster, store: any SubmissionStore, settings: MonitorSettings, rates: CostRates?, logger: Logger,
        statusChanges: StatusChangeSignal? = nil, archiver: LogArchiver? = nil
    ) {
        self.cluster = cluster
        self.statusChanges = statusChanges
        self.store = store
        self.settings = settings
        self.rates = rates
        self.archiver = archiver
        var logger = logger
        logger[metadataKey: "cluster"] = cluster.id
        self.logger = logger
    }

    // MARK: Read-only figures

    /// Whether this replica holds the lease and runs the watch.
    var isActive: Bool { state.withLock { $0.active } }

    /// Whether records of this cluster are kept up to date by a monitor, here or on another replica.
    var recordsAreMonitored: Bool { state.withLock { $0.active || $0.leaderElsewhere } }

    /// Objects handled since start (each watch event, and each object of a re-list).
    var eventsProcessed: Int { state.withLock { $0.eventsProcessed } }

    /// For the last event: from its receipt to the completion of its store writes.
    var lastEventLag: Duration { state.withLock { $0.lastEventLag } }

    /// Full (re-)lists handled: one at each start of the watch, one more after each 410.
    var resyncCount: Int { state.withLock { $0.resyncCount } }

    /// Applications stopped (their driver pod deleted) because they ran longer than their `maxRunningMillis`.
    var deletedForRunningTooLong: Int { state.withLock { $0.deletedForRunningTooLong } }

    /// Applications deleted because their record says FENCED.
    var deletedFencedApplications: Int { state.withLock { $0.deletedFencedApplications } }

    /// Pending (created, submitted, awaiting rerun) and running applications; nil unless active.
    var load: ClusterLoad? {
        state.withLock { state in
            guard state.active else { return nil }
            return ClusterLoad(pending: state.pending, running: state.running)
        }
    }

    // MARK: Lifecycle

    /// Starts the lease loop (and, while holding the lease, the watch).
    func start() {
        loop.withLock { task in
            guard task == nil else { return }
            task = Task { await self.runLeaseLoop() }
        }
    }

    /// Stops the watch and the lease loop.
    /// - Parameter releasingLease: give the lease up so a standby takes over at once; `false`
    ///   behaves like a killed process (the lease lapses after its duration).
    func stop(releasingLease: Bool = true) async {
        let task = loop.withLock { task in
            defer { task = nil }
            return task
        }
        guard let task else { return }
        task.cancel()
        await task.value
        let held = state.withLock { state in
            defer {
                state.holdsLease = false
                state.active = false
                state.leaderElsewhere = false
                state.forgetAll()
            }
            return state.holdsLease
        }
        if releasingLease, held {
            do {
                try await store.releaseLease(name: leaseName, holder: settings.holder)
                logger.info("monitor lease released")
            } catch {
                logger.warning("monitor lease release failed", metadata: ["error": "\(error)"])
            }
        }
    }

    private var leaseName: String { MonitorSettings.leaseName(cluster: cluster.id) }

    // MARK: Lease loop

    private func runLeaseLoop() async {
        var watch: Task<Void, Never>?
        var expiry = ContinuousClock.now
        while !Task.isCancelled {
            let attempt = ContinuousClock.now
            if watch == nil {
                do {
                    if try await store.acquireLease(name: leaseName, holder: settings.holder, duration: settings.leaseDuration)
                        != nil
                    {
                        expiry = attempt + settings.leaseDuration
                        state.withLock {
                            $0.holdsLease = true
                            $0.active = true
                            $0.leaderElsewhere = false
                        }
                        logger.info("monitor active: lease acquired", metadata: ["holder": "\(settings.holder)"])
                        watch = Task { await self.runWatch() }
                        try? await Task.sleep(for: settings.renewInterval)
                        continue
                    }
                    state.withLock { $0.leaderElsewhere = true }
                } catch {
                    logger.debug("monitor lease acquire failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: settings.acquireInterval)
            } else {
                var lost = false
                do {
                    if try await store.renewLease(name: leaseName, holder: settings.holder, duration: settings.leaseDuration)
                        != nil
                    {
                        expiry = attempt + settings.leaseDuration
                    } else {
                        lost = true
                    }
                } catch {
                    // The store is unreachable: keep watching while our lease is surely still ours.
                    logger.warning("monitor lease renew failed", metadata: ["error": "\(error)"])
                    lost = ContinuousClock.now + settings.renewInterval >= expiry
                }
                if lost, let running = watch {
                    logger.warning("monitor lease lost; stopping the watch")
                    running.cancel()
                    await running.value
                    watch = nil
                    state.withLock {
                        $0.holdsLease = false
                        $0.active = false
                        $0.forgetAll()
                    }
                    continue
                }
                try? await Task.sleep(for: settings.renewInterval)
            }
        }
        if let watch {
            watch.cancel()
            await watch.value
        }
    }

    // MARK: Watch

    private func runWatch() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.consumeWatch() }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.settings.enforcementInterval)
                    if Task.isCancelled { return }
                    await self.recordMissingDriverStarts()
                    await self.enforceMaxRunningTime(now: Date())
                }
            }
            if let archiver = self.archiver {
                // Only while holding the lease: the claims make two sweepers safe, the lease makes
                // them rare. Cancelled with the watch when the lease is lost.
                group.addTask {
                    while !Task.isCancelled {
                        await archiver.sweep(cluster: self.cluster, holder: self.settings.holder)
                        try? await Task.sleep(for: .seconds(archiver.settings.sweepIntervalSeconds))
                    }
                }
            }
        }
    }

    private func consumeWatch() async {
        let events = cluster.client.watchApplications(
            namespace: cluster.namespace, labelSelector: settings.labelSelector, timeoutSeconds: settings.watchTimeoutSeconds)
        for await event in events {
            let received = ContinuousClock.now
            var handled = 1
            switch event {
            case .added(let application), .modified(let application):
                if let observation = ApplicationObservation(application.application) {
                    await apply(observation, live: true)
                }
            case .deleted(let application):
                if let observation = ApplicationObservation(application.application) {
                    await forget(observation.name, deletedAt: observation.version)
                }
            case .resynced(let applications):
                let observations = applications.compactMap { ApplicationObservation($0.application) }
                let names = Set(observations.map(\.name))
                let vanished = state.withLock { state in state.tracked.keys.filter { !names.contains($0) } }
                for name in vanished { await forget(name, deletedAt: 0) }
                let driverStarts = DriverStartIndex(cluster: cluster, logger: logger)
                for observation in observations {
                    if Task.isCancelled { return }
                    await apply(observation, live: false, driverStarts: driverStarts)
                }
                handled = observations.count
                state.withLock { $0.resyncCount += 1 }
                logger.debug("monitor synced", metadata: ["applications": "\(observations.count)"])
            }
            let lag = ContinuousClock.now - received
            state.withLock {
                $0.eventsProcessed += handled
                $0.lastEventLag = lag
            }
        }
    }

    /// Writes what changed since the last observation of this application.
    /// - Parameter live: from a watch event (a first `RUNNING` is the driver start, now) rather than
    ///   a (re-)list (the start comes from the record or the driver pod).
    /// - Parameter driverStarts: during a re-list, the driver pods' start times, listed once for all.
    func apply(_ observation: ApplicationObservation, live: Bool, driverStarts: DriverStartIndex? = nil) async {
        let name = observation.name
        var tracked = state.withLock { $0.tracked[name] }
        if let known = tracked, known.version >= observation.version, observation.version > 0 { return }
        if tracked == nil {
            tracked = await trackedFromRecord(observation)
        }
        var current = tracked ?? Tracked(
            version: 0, state: "", jobInfoRecorded: false, maxRunningMillis: observation.maxRunningMillis)
        if current.fenced {
            await deleteFenced(name, &current)
            state.withLock { _ = $0.track(name, current) }
            return
        }
        if current.version >= observation.version, observation.version > 0, current.state == observation.state {
            current.maxRunningMillis = observation.maxRunningMillis
            state.withLock { _ = $0.track(name, current) }
            return
        }
        do {
            let now = Date()
            // First: an adopted application's row may not exist yet, and the status writes below
            // only change existing rows.
            if observation.detailsDiffer(from: current.details) {
                var details = observation.details
                details.adoption?.clusterId = cluster.id
                try await store.recordObservation(details)
                current.details = observation.details
            }
            if let appId = observation.appId, appId != current.appId {
                try await store.recordAppId(submissionId: name, appId: appId)
                current.appId = appId
            }
            if observation.driverStarted, !current.jobInfoRecorded {
                let start = await driverStart(
                    observation, live: live, previousState: current.state, now: now, index: driverStarts)
                if let start {
                    try await store.recordJobInfo(submissionId: name, observation.jobInfo(startTime: start, appName: nil))
                    current.driverStart = start
                    current.jobInfoRecorded = true
                    current.awaitingDriverStart = nil
                } else {
                    current.awaitingDriverStart = observation
                }
            }
            if !observation.state.isEmpty, observation.state != current.state || observation.version > current.version {
                // Before the record is marked finished: a crash in between leaves the record
                // unfinished, so the next re-list records the tasks again (idempotently).
                if observation.isFinished, !current.archiveRecorded, !SubmissionState.isTerminal(current.state),
                    let archiver
                {
                    try await archiver.enqueue(observation, cluster: cluster)
                    current.archiveRecorded = true
                }
                let applied =
                    if observation.isFinished {
                        try await store.markFinished(
                            submissionId: name, status: observation.state, finishedTime: observation.terminationTime ?? now,
                            observedVersion: observation.version, rates: rates)
                    } else {
                        try await store.updateStatus(
                            submissionId: name, status: observation.state, observedVersion: observation.version, at: now)
                    }
                if applied, observation.state != current.state { statusChanges?.changed(name) }
                // Refused: perhaps the gateway fenced the attempt between our read and this write.
                if !applied, try await store.submission(id: name)?.status == SubmissionState.fenced {
                    current.fenced = true
                    current.state = SubmissionState.fenced
                    await deleteFenced(name, &current)
                    state.withLock { _ = $0.track(name, current) }
                    return
                }
            }
            current.version = observation.version
            current.state = observation.state
            current.maxRunningMillis = observation.maxRunningMillis
            // The attempt whose driver pod the time limit deleted is over; a rerun (restartPolicy) is
            // held to the same limit, counted from the first driver start, so it is stopped again.
            if ApplicationObservation.attemptClearedStates.contains(observation.state) { current.deleteSent = false }
            if observation.isFinished { current.awaitingDriverStart = nil }
        } catch {
            // Not remembered as applied, so the next event or re-list for it writes again.
            logger.warning("monitor store write failed", metadata: ["submission": "\(name)", "error": "\(error)"])
            return
        }
        state.withLock { _ = $0.track(name, current) }
    }

    /// Drops a deleted application; one deleted before it finished gets the status `DELETED`, so its
    /// record no longer claims it runs (and status reads go to the cluster, which answers 404 as BPG).
    private func forget(_ name: String, deletedAt version: Int64) async {
        guard let tracked = state.withLock({ $0.track(name, nil) }) else { return }
        // The operator's SUBMISSION_FAILED is not final (it may be retried): deleted meanwhile, it is DELETED.
        let finished = SubmissionState.isTerminal(tracked.state) && tracked.state != SubmissionState.submissionFailed
        guard !finished, !tracked.state.isEmpty else { return }
        // The deletion's version when it is newer; else one above the last applied (the object is
        // gone, so no later version of it can exist).
        let deletionVersion = version > tracked.version ? version : tracked.version + 1
        do {
            try await store.updateStatus(
                submissionId: name, status: ApplicationMonitor.deletedState, observedVersion: deletionVersion, at: Date())
            statusChanges?.changed(name)
        } catch {
            logger.warning("monitor store write failed", metadata: ["submission": "\(name)", "error": "\(error)"])
        }
    }

    /// Deletes the application of a fenced attempt (once per sighting of this monitor): the gateway
    /// told its client this attempt failed or ran the job elsewhere, so it must not run. Its record
    /// stays FENCED.
    private func deleteFenced(_ name: String, _ tracked: inout Tracked) async {
        guard !tracked.deleteSent else { return }
        logger.warning("deleting the application of a fenced attempt", metadata: ["submission": "\(name)"])
        do {
            try await cluster.client.deleteApplication(named: name, namespace: cluster.namespace)
        } catch where error.code == .notFound {
            // Already gone.
        } catch {
            logger.warning("delete of a fenced application failed", metadata: ["submission": "\(name)", "error": "\(error)"])
            return
        }
        tracked.deleteSent = true
        state.withLock { $0.deletedFencedApplications += 1 }
    }

    /// The status of a record whose application was deleted before it finished.
    static let deletedState = "DELETED"

    /// A first sight of an application (after a start or a lease change): what its record already
    /// holds, so a restart does not rewrite finished rows or read driver pods again.
    private func trackedFromRecord(_ observation: ApplicationObservation) async -> Tracked? {
        let record: SubmissionRecord?
        do {
            record = try await store.submission(id: observation.name)
        } catch {
            // Treated as unknown: the writes that follow are idempotent by version.
            logger.debug("monitor record read failed", metadata: ["submission": "\(observation.name)", "error": "\(error)"])
            return nil
        }
        if let record, record.status == SubmissionState.fenced {
            return Tracked(
                version: 0, state: SubmissionState.fenced, jobInfoRecorded: true, maxRunningMillis: observation.maxRunningMillis,
                fenced: true)
        }
        guard let record, record.statusVersion > 0 else { return nil }
        var details: ObservedApplication?
        if record.observedVersion > 0 {
            details = ObservedApplication(
                submissionId: record.submissionId, version: record.observedVersion, createdMillis: record.observedCreatedMillis,
                terminationMillis: record.terminationMillis, executionAttempts: record.executionAttempts,
                submissionAttempts: record.submissionAttempts, errorMessage: record.applicationErrorMessage,
                maxRunningMillis: record.maxRunningMillis, driverPodName: record.driverPodName)
        }
        return Tracked(
            version: record.statusVersion, state: record.status ?? "", appId: record.appId, driverStart: record.startTime,
            jobInfoRecorded: record.startTime != nil, maxRunningMillis: observation.maxRunningMillis, details: details)
    }

    /// When the driver started: the driver pod's `status.startTime` (what `/driver` reports from the
    /// cluster), else, for a live `RUNNING` seen first, now.
    private func driverStart(
        _ observation: ApplicationObservation, live: Bool, previousState: String, now: Date, index: DriverStartIndex?
    ) async -> Date? {
        if let index, let podName = observation.driverPodName {
            return await index.startTime(ofPod: podName)
        }
        if let podName = observation.driverPodName,
            let pod = try? await cluster.client.pod(named: podName, namespace: cluster.namespace),
            let millis = Timestamp.epochMillis(pod.status?.startTime)
        {
            return Timestamp.date(epochMillis: millis)
        }
        return live ? now : nil
    }

    /// Reads the driver pods of running applications whose start time is still unknown, so their job
    /// info and time limit do not wait for an event that a steadily running application never sends.
    func recordMissingDriverStarts() async {
        let waiting = state.withLock { state in
            state.tracked.compactMap { name, tracked in tracked.awaitingDriverStart.map { (name, $0) } }
        }
        for (name, observation) in waiting {
            if Task.isCancelled { return }
            guard let start = await driverStart(observation, live: false, previousState: "", now: Date(), index: nil) else {
                continue
            }
            do {
                try await store.recordJobInfo(submissionId: name, observation.jobInfo(startTime: start, appName: nil))
            } catch {
                logger.warning("monitor store write failed", metadata: ["submission": "\(name)", "error": "\(error)"])
                continue
            }
            state.withLock { state in
                guard var tracked = state.tracked[name], tracked.awaitingDriverStart != nil else { return }
                tracked.driverStart = start
                tracked.jobInfoRecorded = true
                tracked.awaitingDriverStart = nil
                _ = state.track(name, tracked)
            }
        }
    }

    // MARK: Max running time

    /// Stops running applications older than their limit (docs/monitor.md, "Max running time"),
    /// counted from the driver start, as BPG does: the note goes to the record first, then the driver
    /// pod is deleted, and the operator fails the application ("driver pod not found"), which stays
    /// visible with its logs' record and the reason. Finished applications are never touched.
    func enforceMaxRunningTime(now: Date) async {
        let expired = state.withLock { state in
            state.tracked.compactMap { name, tracked -> (String, Int64, Int64, String?)? in
                guard tracked.state == ApplicationState.Kind.running.rawValue, !tracked.deleteSent,
                    let start = tracked.driverStart
                else { return nil }
                let runningMillis = Int64(now.timeIntervalSince(start) * 1000)
                guard runningMillis > tracked.maxRunningMillis else { return nil }
                return (name, runningMillis, tracked.maxRunningMillis, tracked.details?.driverPodName)
            }
        }
        for (name, runningMillis, limit, knownPod) in expired {
            logger.warning(
                "stopping application running longer than its maxRunningMillis: deleting its driver pod",
                metadata: ["submission": "\(name)", "running_millis": "\(runningMillis)"])
            var podName = knownPod
            if podName == nil {
                podName = try? await cluster.client.application(named: name, namespace: cluster.namespace).status?.driverInfo?.podName
            }
            guard let podName else {
                logger.warning("no driver pod to delete for a long-running application", metadata: ["submission": "\(name)"])
                continue
            }
            do {
                try await store.recordNote(submissionId: name, note: Self.runningTooLongNote(limit: limit))
                try await cluster.client.deletePod(named: podName, namespace: cluster.namespace)
            } catch let error as KubeError where error.code == .notFound {
                // Already gone: the operator fails the application all the same.
            } catch {
                logger.warning("stopping a long-running application failed", metadata: ["submission": "\(name)", "error": "\(error)"])
                continue
            }
            state.withLock {
                if var marked = $0.tracked[name] {
                    marked.deleteSent = true
                    _ = $0.track(name, marked)
                }
                $0.deletedForRunningTooLong += 1
            }
        }
    }

    /// The record's note for an application stopped for running too long, shown after the error message.
    static func runningTooLongNote(limit: Int64) -> String {
        "(killed by the gateway: running longer than its maxRunningMillis of \(limit) ms, its driver pod was deleted)"
    }
}
