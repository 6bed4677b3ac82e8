import Foundation
import GatewayCore
import Persistence

extension ApplicationQueries {
    /// Status from the monitor-fed record, when a monitor keeps the cluster's records current and has
    /// written this one (`statusVersion > 0`); nil sends the caller to the cluster.
    ///
    /// The monitor writes synchronously with each watch event, so a read here is as fresh as the
    /// store; `status(of:for:)` keeps the answer at most 500 ms (`recordStatusCache`).
    func monitoredStatus(_ submissionId: String, cluster: GatewayCluster) async -> GetSubmissionStatusResponse? {
        guard let monitors, monitors.recordsAreMonitored(cluster: cluster.id),
            let record = try? await store.submission(id: submissionId), record.statusVersion > 0,
            let state = record.status, state != ApplicationMonitor.deletedState
        else { return nil }
        return Self.statusResponse(record, state: state, sparkUIBaseURL: cluster.configuration.sparkUIUrl, now: Self.nowMillis)
    }

    /// BPG's status shape built from a record, from the same inputs as from the object
    /// (`GetSubmissionStatusResponse.Inputs`): what the monitor observed when it wrote them, else
    /// (rows from before it kept them, the gateway's own failures) the row's BPG columns.
    /// - Parameter listing: for a listing entry: `creationTime` is then the row's `created_time`, the
    ///   key listings are ordered and paged by, so the order shown and the times shown agree (the
    ///   object's creation can be up to a second later).
    static func statusResponse(
        _ record: SubmissionRecord, state: String, sparkUIBaseURL: String?, now: Int64, listing: Bool = false
    ) -> GetSubmissionStatusResponse {
        let observed = record.observedVersion > 0
        let recorded = record.createdTime.map(Timestamp.epochMillis)
        let inputs = GetSubmissionStatusResponse.Inputs(
            name: record.submissionId, namespace: record.namespace,
            creationTime: listing ? recorded ?? record.observedCreatedMillis : record.observedCreatedMillis ?? recorded,
            hasStatus: observed,
            sparkApplicationId: ApplicationObservation.attemptClearedStates.contains(state) ? nil : record.appId,
            executionAttempts: record.executionAttempts,
            terminationTime: observed ? record.terminationMillis : record.finishedTime.map(Timestamp.epochMillis),
            state: state, errorMessage: observed ? record.applicationErrorMessage : record.errorMessage,
            maxRunningMillis: record.maxRunningMillis, note: record.note)
        return GetSubmissionStatusResponse(inputs: inputs, sparkUIBaseURL: sparkUIBaseURL, now: now)
    }
}
