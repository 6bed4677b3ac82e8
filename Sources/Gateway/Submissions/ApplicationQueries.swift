import Foundation
import GatewayCore
import KubeClient
import Logging
import Persistence
import YAML

/// Reads about submissions: status, spec, driver, events, logs and listings, with ownership checks.
///
/// Status reads go through a short cache (`statusCacheExpireMillis`, BPG's 990 ms by default) shared
/// by all clients, so many pollers cost one API-server read per submission per period.
struct ApplicationQueries: Sendable {
    let configuration: GatewayConfiguration
    let clusters: ClusterDirectory
    let store: any SubmissionStore
    let enforceOwnership: Bool
    let statusCache: ExpiringCache<String, GetSubmissionStatusResponse>
    /// Record-based answers, kept at most 500 ms so a status is fresh within a second of the watch
    /// event while thousands of pollers cost one store read per submission per half second.
    let recordStatusCache: ExpiringCache<String, GetSubmissionStatusResponse?>
    let logger: Logger
    /// When set, status of monitored clusters is answered from the monitor-fed records.
    var monitors: ApplicationMonitors?

    init(
        configuration: GatewayConfiguration, clusters: ClusterDirectory, store: any SubmissionStore, logger: Logger
    ) {
        self.configuration = configuration
        self.clusters = clusters
        self.store = store
        self.enforceOwnership = configuration.gateway.auth.enforceOwnership
        self.statusCache = ExpiringCache(timeToLive: .milliseconds(max(0, configuration.statusCacheExpireMillis)))
        self.recordStatusCache = ExpiringCache(
            timeToLive: .milliseconds(min(500, max(0, configuration.statusCacheExpireMillis))))
        self.logger = logger
    }

    static var nowMillis: Int64 { Timestamp.nowMillis }

    // MARK: Status

    func status(of submissionId: String, for user: AuthenticatedUser) async throws -> GetSubmissionStatusResponse {
        let cluster = try clusters.cluster(ofSubmission: submissionId)
        try await checkOwnership(submissionId, cluster: cluster, user: user)
        if monitors != nil,
            let recorded = try await recordStatusCache.value(for: submissionId, load: {
                await monitoredStatus(submissionId, cluster: cluster)
            })
        {
            return recorded.refreshed(now: Self.nowMillis)
        }
        let cached = try await statusCache.value(for: submissionId) {
            try await loadStatus(submissionId, cluster: cluster)
        }
        return cached.refreshed(now: Self.nowMillis)
    }

    private func loadStatus(_ submissionId: String, cluster: GatewayCluster) async throws -> GetSubmissionStatusResponse {
        do {
            let application = try await application(submissionId, on: cluster)
            // The gateway's note (why it stopped the application) lives in the record; only a failed
            // application can carry one, so only those cost a store read.
            let note: String? =
                application.status?.applicationState?.state == .failed
                ? (try? await store.submission(id: submissionId))?.note : nil
            return GetSubmissionStatusResponse(
                application: application, sparkUIBaseURL: cluster.configuration.sparkUIUrl, now: Self.nowMillis, note: note)
        } catch let error as SubmissionError where error.status == 404 {
            // A create that failed (or an attempt abandoned after an unknown outcome) leaves no object,
            // only its record: report it rather than a 404, in BPG's vocabulary.
            if let record = try? await store.submission(id: submissionId),
                record.status == SubmissionState.submissionFailed || record.status == SubmissionState.fenced
            {
                return GetSubmissionStatusResponse(
                    creationTime: record.createdTime.map(Timestamp.epochMillis),
                    applicationState: SubmissionState.submissionFailed, applicationErrorMessage: record.errorMessage)
            }
            throw error
        }
    }

    // MARK: Spec, driver, describe

    func spec(of submissionId: String, for user: AuthenticatedUser) async throws -> SparkApplicationSpec {
        let cluster = try clusters.cluster(ofSubmission: submissionId)
        let application = try await application(submissionId, on: cluster)
        try checkOwner(of: application, submissionId: submissionId, user: user)
        return application.spec.withoutEnvironment()
    }

    func driver(of submissionId: String, for user: AuthenticatedUser) async throws -> GetDriverInfoResponse {
        let cluster = try clusters.cluster(ofSubmission: submissionId)
        if let recorded = try await monitoredDriver(submissionId, cluster: cluster, user: user) { return recorded }
        let application = try await application(submissionId, on: cluster)
        try checkOwner(of: application, submissionId: submissionId, user: user)
        guard let podName = application.status?.driverInfo?.podName else { return GetDriverInfoResponse() }
        guard let pod = try? await cluster.client.pod(named: podName, namespace: cluster.namespace),
            let status = pod.status
        else { return GetDriverInfoResponse() }
        return GetDriverInfoResponse(podName: podName, startTime: Timestamp.epochMillis(status.startTime))
    }

    /// BPG's `describe` text: the spec as YAML, then the application's and the driver's events.
    func describe(_ submissionId: String, for user: AuthenticatedUser) async throws -> String {
        let cluster = try clusters.cluster(ofSubmission: submissionId)
        let application = try await application(submissionId, on: cluster)
        try checkOwner(of: application, submissionId: submissionId, user: user)
        async let applicationEvents = events(involving: submissionId, on: cluster)
        async let driverEvents = events(involving: "\(submissionId)-driver", on: cluster)
        var text = "--- Spark Spec ---\n"
        text += YAMLWriter.yaml(application.spec.withoutEnvironment())
        text += "--- Spark Application Events ---\n"
        text += try await applicationEvents
        text += "--- Spark Driver Events ---\n"
        text += try await driverEvents
        return text
    }

    private func events(involving name: String, on cluster: GatewayCluster) async throws -> String {
        let events = try await kube(cluster) {
            try await cluster.client.events(about: name, namespace: cluster.namespace)
        }
        return events.map { event in
            "\(event.lastTimestamp ?? event.eventTime ?? "") \(event.reason ?? "") \(event.message ?? "")\n"
        }.joined()
    }

    // MARK: Delete

    func delete(_ submissionId: String, for user: AuthenticatedUser) async throws {
        let cluster = try clusters.cluster(ofSubmission: submissionId)
        try await checkOwnership(submissionId, cluster: cluster, user: user)
        do {
            try await cluster.client.deleteApplication(named: submissionId, namespace: cluster.namespace)
        } catch where error.code == .notFound {
            // BPG answers 200 whether or not the object existed; so do we.
        } catch {
            throw Self.clusterFailure(error)
        }
        statusCache.invalidate(submissionId)
        recordStatusCache.invalidate(submissionId)
    }

    // MARK: Listings

    /// The user's submissions on every cluster (drained ones too), by the `proxyUser` label; from the
    /// monitor-fed records, newest first, when every cluster's records are monitored.
    func submissions(of user: String) async throws -> [SubmissionSummary] {
        if listingsFromRecords { return try await recordSummaries(of: user) }
        let selector = "\(GatewayLabels.proxyUser)=\(GatewayLabels.normalizeLabelValue(user))"
        var all: [SubmissionSummary] = []
        for cluster in clusters.clusters {
            all += try await summaries(on: cluster, selector: selector)
        }
        return all
    }

    /// Every submission on every cluster, optionally by application name, cluster by cluster; from
    /// the monitor-fed records, newest first, when every cluster's records are monitored.
    func allSubmissions(applicationName: String?, each: (SubmissionSummary) async throws -> Void) async throws {
        if listingsFromRecords { return try await recordSummaries(applicationName: applicationName, each: each) }
        let selector = applicationName.map { "\(GatewayLabels.applicationName)=\(GatewayLabels.normalizeLabelValue($0))" }
        for cluster in clusters.clusters {
            for summary in try await summaries(on: cluster, selector: selector) { try await each(summary) }
        }
    }

    private func summaries(on cluster: GatewayCluster, selector: String?) async throws -> [SubmissionSummary] {
        let list = try await kube(cluster) {
            try await cluster.client.applications(namespace: cluster.namespace, labelSelector: selector)
        }
        let now = Self.nowMillis
        return list.map {
            SubmissionSummary(
                application: $0, sparkUIBaseURL: cluster.configuration.sparkUIUrl,
                sparkHistoryDNS: configuration.sparkHistoryDns, now: now)
        }
    }

    // MARK: Logs

    /// Where a log request points: the submission and the container.
    struct LogTarget {
        var submissionId: String
        var cluster: GatewayCluster
        var podName: String
    }

    /// Where `/log` reads from: the live pod, or the archived copies in `sparkLogS3Bucket`.
    enum LogSource {
        case pod(LogTarget)
        /// The `logindex` keys of this container (BPG's S3 fallback).
        case archive(submissionId: String, containerId: String)
    }

    /// Resolves `/log` parameters (BPG's rules) to a live pod, or nil when no pod can serve it.
    func logTarget(submissionId: String, appId: String, executorId: String, user: AuthenticatedUser) async throws -> LogTarget? {
        let source = try await logSource(submissionId: submissionId, appId: appId, executorId: executorId, s3Only: false, user: user)
        if case .pod(let target) = source { return target }
        return nil
    }

    /// Resolves `/log` parameters as BPG does: a submission id, or an app id looked up in the
    /// records; then the pod (driver, or executor `executorId`) if it exists and has started, unless
    /// `s3Only`; else the archive. Failures on the way to the pod fall through to the archive.
    func logSource(
        submissionId: String, appId: String, executorId: String, s3Only: Bool, user: AuthenticatedUser
    ) async throws -> LogSource {
        if submissionId.isEmpty && appId.isEmpty {
            throw GatewayError.badRequest("Error: Please provide either a submissionId or an appId.")
        }
        if (!appId.isEmpty && appId.count < 32) || (!submissionId.isEmpty && submissionId.count < 32) {
            throw GatewayError.badRequest(
                "Invalid submissionId \(submissionId) or appId \(appId) : Should be at least 32 characters.")
        }
        var id = submissionId
        if id.isEmpty {
            let record = try? await store.submission(appId: appId)
            guard let found = record?.submissionId else {
                throw GatewayError.badRequest("Could not find submissionId from the appId \(appId).")
            }
            id = found
        }
        let archive = LogSource.archive(
            submissionId: id, containerId: LogArchiveLayout.container(submissionId: id, executorId: executorId))
        let cluster = try? clusters.cluster(ofSubmission: id)
        var ownerChecked = false
        if !s3Only, let cluster, let application = try? await application(id, on: cluster) {
            try checkOwner(of: application, submissionId: id, user: user)
            ownerChecked = true
            let podName: String?
            if executorId.isEmpty || executorId.hasSuffix("driver") {
                podName = application.status?.driverInfo?.podName
            } else {
                podName = application.status?.executorState?.keys.sorted().last { $0.hasSuffix("exec-\(executorId)") }
            }
            if let podName, let pod = try? await cluster.client.pod(named: podName, namespace: cluster.namespace),
                let phase = pod.status?.phase, phase != "Unknown", phase != "Pending"
            {
                return .pod(LogTarget(submissionId: id, cluster: cluster, podName: podName))
            }
        }
        if !ownerChecked { try await checkArchiveOwner(id, user: user) }
        return archive
    }

    /// Ownership of an archived log, whose application may be gone: from the record, else from the
    /// application; with neither, only an admin may read it.
    private func checkArchiveOwner(_ submissionId: String, user: AuthenticatedUser) async throws {
        guard enforceOwnership, !user.isAdmin else { return }
        if let record = try? await store.submission(id: submissionId), let owner = record.user {
            if owner != user.name { throw Self.notYours(submissionId) }
            return
        }
        if let cluster = try? clusters.cluster(ofSubmission: submissionId),
            let application = try? await application(submissionId, on: cluster)
        {
            try checkOwner(of: application, submissionId: submissionId, user: user)
            return
        }
        throw Self.notYours(submissionId)
    }

    // MARK: Helpers

    func application(_ submissionId: String, on cluster: GatewayCluster) async throws -> SparkApplication {
        do {
            return try await cluster.client.application(named: submissionId, namespace: cluster.namespace)
        } catch where error.code == .notFound {
            throw SubmissionError.notFound()
        } catch {
            throw Self.clusterFailure(error)
        }
    }

    /// Ownership from the record (or, for applications created before the store, the label).
    private func checkOwnership(_ submissionId: String, cluster: GatewayCluster, user: AuthenticatedUser) async throws {
        guard enforceOwnership, !user.isAdmin else { return }
        if let record = try? await store.submission(id: submissionId), let owner = record.user {
            if owner != user.name { throw Self.notYours(submissionId) }
            return
        }
        let application = try await application(submissionId, on: cluster)
        try checkOwner(of: application, submissionId: submissionId, user: user)
    }

    private func checkOwner(of application: SparkApplication, submissionId: String, user: AuthenticatedUser) throws {
        guard enforceOwnership, !user.isAdmin else { return }
        let owner = application.metadata.labels?[GatewayLabels.proxyUser]
        if owner != GatewayLabels.normalizeLabelValue(user.name) { throw Self.notYours(submissionId) }
    }

    static func notYours(_ submissionId: String) -> GatewayError {
        GatewayError(.forbidden, "Submission \(submissionId) belongs to another user")
    }

    private func kube<T>(_ cluster: GatewayCluster, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as KubeError {
            throw Self.clusterFailure(error)
        }
    }

    /// A cluster that could not answer: 503 when it is unreachable or overloaded, 502 otherwise.
    static func clusterFailure(_ error: KubeError) -> GatewayError {
        let message = "Spark cluster \(error.clusterID) could not answer: \(error.message)"
        return error.isRetriable ? GatewayError(.unavailable, message) : GatewayError(.badGateway, message)
    }
}
