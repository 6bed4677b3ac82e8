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

    /// BPG's status shape built from a record.
    static func statusResponse(_ record: SubmissionRecord, state: String, sparkUIBaseURL: String?, now: Int64)
        -> GetSubmissionStatusResponse
    {
        let response = GetSubmissionStatusResponse(
            creationTime: record.createdTime.map(Timestamp.epochMillis), sparkApplicationId: record.appId,
            terminationTime: record.finishedTime.map(Timestamp.epochMillis),
            applicationState: state, applicationErrorMessage: record.errorMessage,
            sparkUIUrl: GetSubmissionStatusResponse.sparkUIURL(
                base: sparkUIBaseURL, namespace: record.namespace, name: record.submissionId, state: state))
        return response.refreshed(now: now)
    }
}
