import Foundation
import GatewayCore
import Persistence

extension ApplicationQueries {
    /// Whether listings can come from the records: a monitor feeds the records of every configured
    /// cluster (here or on another replica). One unmonitored cluster sends listings to the clusters.
    var listingsFromRecords: Bool {
        guard let monitors else { return false }
        return clusters.clusters.allSatisfy { monitors.recordsAreMonitored(cluster: $0.id) }
    }

    /// Rows per store page when streaming a listing.
    static let recordPageSize = 500

    /// The user's submissions from the records (stored under the proxy user), newest first.
    func recordSummaries(of user: String) async throws -> [SubmissionSummary] {
        var all: [SubmissionSummary] = []
        let now = Self.nowMillis
        for try await record in store.streamSubmissions(SubmissionQuery(user: user, limit: Self.recordPageSize)) {
            if let summary = summary(of: record, now: now) { all.append(summary) }
        }
        return all
    }

    /// Every submission from the records, newest first, streamed page by page. `applicationName`
    /// matches BPG's label filter: the request's `applicationName`, normalised as the label is
    /// (the record's `app_name` column holds `spark.app.name` first, so it cannot serve here).
    func recordSummaries(applicationName: String?, each: (SubmissionSummary) async throws -> Void) async throws {
        let wanted = applicationName.map(GatewayLabels.normalizeLabelValue)
        let now = Self.nowMillis
        for try await record in store.streamSubmissions(SubmissionQuery(limit: Self.recordPageSize)) {
            let request = Self.storedRequest(record)
            if let wanted, request?.applicationName.map(GatewayLabels.normalizeLabelValue) != wanted { continue }
            if let summary = summary(of: record, request: request, now: now) { try await each(summary) }
        }
    }

    /// Driver info from the record when the cluster is monitored and the record is known (nil sends
    /// the caller to the cluster, which also answers for failed creates, fenced attempts and deleted
    /// objects, and for a driver that has run but whose start the monitor could not read yet): the pod
    /// name the operator reported (`status.driverInfo.podName`) and the pod's start time, both as the
    /// monitor observed them; `{}` before the driver runs, as from the cluster.
    func monitoredDriver(_ submissionId: String, cluster: GatewayCluster, user: AuthenticatedUser) async throws
        -> GetDriverInfoResponse?
    {
        guard let monitors, monitors.recordsAreMonitored(cluster: cluster.id),
            let record = try? await store.submission(id: submissionId), let owner = record.user,
            record.status != ApplicationMonitor.deletedState, record.status != SubmissionState.fenced,
            // A create that failed left no object: the cluster answers (404), as BPG's would.
            record.status != SubmissionState.submissionFailed || record.statusVersion > 0 || record.appId != nil
        else { return nil }
        if enforceOwnership, !user.isAdmin, owner != user.name {
            throw Self.notYours(submissionId)
        }
        let state = record.status ?? ""
        if ApplicationObservation.attemptClearedStates.contains(state) { return GetDriverInfoResponse() }
        guard let podName = record.driverPodName, let start = record.startTime else {
            // The driver has run but the monitor could not read its start yet (its pod list failed
            // during a re-list, read again later): the cluster knows, so ask it rather than say `{}`.
            // (A run that reached FAILED without a submitted Spark application never had a driver.)
            if ApplicationObservation.driverHasRun(state: state), record.driverPodName != nil || record.appId != nil { return nil }
            return GetDriverInfoResponse()
        }
        return GetDriverInfoResponse(podName: podName, startTime: Timestamp.epochMillis(start))
    }

    // MARK: Building summaries


    /// The request as stored with the record (env removed), for the fields the record lacks.
    static func storedRequest(_ record: SubmissionRecord) -> SubmitApplicationRequest? {
        guard let body = record.requestBody else { return nil }
        return try? JSONDecoder().decode(SubmitApplicationRequest.self, from: Data(body.utf8))
    }

    /// BPG's summary of a record; nil for records BPG would not list (no object on a cluster: a
    /// create that failed, or an object the monitor saw deleted).
    func summary(of record: SubmissionRecord, request: SubmitApplicationRequest? = nil, now: Int64) -> SubmissionSummary? {
        // A fenced attempt was abandoned (its job runs under another id, or its client got an error).
        if record.status == ApplicationMonitor.deletedState || record.status == SubmissionState.fenced { return nil }
        // A create that failed left no object (the operator's own SUBMISSION_FAILED has an observed version).
        if record.status == SubmissionState.submissionFailed, record.statusVersion == 0, record.appId == nil { return nil }
        let request = request ?? Self.storedRequest(record)
        // Before the operator reports, BPG reads an object without status: state UNKNOWN.
        let state: String =
            if record.statusVersion == 0 || record.status == nil || record.status == SubmissionState.accepted
                || record.status == SubmissionState.created || record.status == SubmissionState.outcomeUnknown
            {
                "UNKNOWN"
            } else {
                record.status ?? "UNKNOWN"
            }
        let sparkUIBaseURL = record.clusterId.flatMap { clusters.cluster(id: $0) }?.configuration.sparkUIUrl
        let status = Self.statusResponse(record, state: state, sparkUIBaseURL: sparkUIBaseURL, now: now, listing: true)
        let name = (request?.applicationName ?? "").isEmpty ? record.appName : request?.applicationName
        return SubmissionSummary(
            status: status, submissionId: record.submissionId,
            user: record.user.map(GatewayLabels.normalizeLabelValue),
            queue: record.resolvedQueue.map { "root.\($0)" } ?? "",
            dagName: request?.driver?.labels?["dag_name"].map(GatewayLabels.normalizeLabelValue) ?? "",
            driverCores: request?.driver?.cores, driverMemory: request?.driver?.memory,
            executorInstances: request?.executor?.instances, executorCores: request?.executor?.cores,
            executorMemory: request?.executor?.memory, sparkVersion: request?.sparkVersion ?? record.sparkVersion,
            applicationName: name, arguments: request?.arguments, sparkHistoryDNS: configuration.sparkHistoryDns)
    }
}
