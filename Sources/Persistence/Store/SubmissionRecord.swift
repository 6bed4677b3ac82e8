import Foundation

/// One row of `application_submission`: BPG's columns, then the gateway's.
///
/// Times are whole seconds in UTC for BPG's `TIMESTAMP` columns (the store truncates what it writes),
/// so a value read back equals the value written.
public struct SubmissionRecord: Sendable, Equatable, Hashable {
    // BPG's columns (docs/bpg-compatibility.md, "Database tables and statements").
    public var submissionId: String
    public var user: String?
    public var appName: String?
    public var dagName: String?
    public var taskName: String?
    public var sparkVersion: String?
    /// The queue as the client sent it (BPG writes the raw `request.queue`).
    public var queue: String?
    public var status: String?
    public var appId: String?
    /// The request JSON as stored (the caller removes env and masks the queue token first).
    public var requestBody: String?
    public var createdTime: Date?
    public var finishedTime: Date?
    public var startTime: Date?
    public var driverCores: Int?
    public var driverMemoryMb: Int?
    public var executorInstances: Int?
    public var executorCores: Int?
    public var executorMemoryMb: Int?
    /// `DECIMAL(10,2)`: core- and memory-seconds priced with the configured rates.
    public var cost: Decimal?

    // The gateway's columns.
    public var clusterId: String?
    public var namespace: String?
    /// The queue after resolution (parent/child, defaults).
    public var resolvedQueue: String?
    public var idempotencyKey: String?
    /// Why the Kubernetes create failed, for `SUBMISSION_FAILED` rows.
    public var errorMessage: String?
    /// The highest observed version applied to `status` (0 for the gateway's own updates).
    public var statusVersion: Int64
    public var updatedTime: Date?

    // What the monitor observed beyond the state (`ObservedApplication`), for status from the row.
    /// The resource version these observed columns come from (0: none recorded).
    public var observedVersion: Int64 = 0
    /// `metadata.creationTimestamp`, epoch ms.
    public var observedCreatedMillis: Int64?
    /// `status.terminationTime`, epoch ms.
    public var terminationMillis: Int64?
    public var executionAttempts: Int?
    public var submissionAttempts: Int?
    /// The operator's `applicationState.errorMessage` (``errorMessage`` is the gateway's own).
    public var applicationErrorMessage: String?
    /// The `maxRunningMillis` label as observed.
    public var maxRunningMillis: Int64?
    /// `status.driverInfo.podName`.
    public var driverPodName: String?
    /// Why the gateway acted on the application, e.g. that it stopped it for running too long;
    /// shown after the error message in status and listings.
    public var note: String?

    public init(submissionId: String) {
        self.submissionId = submissionId
        self.statusVersion = 0
    }

    /// Whether the row has reached a terminal state (its status will not change again).
    public var isFinished: Bool { finishedTime != nil || SubmissionState.isTerminal(status) }
}
