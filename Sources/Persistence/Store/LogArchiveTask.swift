import Foundation

/// One container log to copy to `sparkLogS3Bucket` (a row of the gateway's `log_archive` table):
/// where it comes from, where it goes, and how far its archiving got.
///
/// Rows are keyed by container id, so a task is recorded once however many replicas or re-lists see
/// the application finish; replicas take a task by a conditional claim that expires, so exactly one
/// uploads at a time and a replica that dies mid-upload is replaced (docs/object-storage.md,
/// "Archived logs").
public struct LogArchiveTask: Sendable, Equatable, Hashable {
    /// Where a task stands.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting for its next attempt (`nextAttempt`), possibly claimed by a replica uploading it.
        case pending
        /// Uploaded, and its key is in `logindex`.
        case archived
        /// The pod (or its cluster) was gone when the archive was due: there is nothing to copy.
        case unavailable
        /// Gave up after the configured number of attempts; `lastError` says why.
        case failed
    }

    /// `<submissionId>-driver` or `<submissionId>-exec-<n>` (BPG's `logindex.containerId`).
    public var containerId: String
    public var submissionId: String
    public var clusterId: String
    public var namespace: String
    public var podName: String
    /// The object key in `sparkLogS3Bucket`, fixed when the task is recorded so every attempt, by
    /// any replica, writes the same object.
    public var s3Key: String
    /// The day of the log (`yyyy-MM-dd`, UTC) and its hour, as `logindex` records them.
    public var date: String
    public var hour: Int
    public var state: State = .pending
    /// Claims taken so far (each is one attempt).
    public var attempts: Int = 0
    /// Not claimed before this time.
    public var nextAttempt: Date
    /// The replica uploading it, until `claimExpires`.
    public var claimedBy: String?
    public var claimExpires: Date?
    /// Why the last attempt failed.
    public var lastError: String?

    public init(
        containerId: String, submissionId: String, clusterId: String, namespace: String, podName: String, s3Key: String,
        date: String, hour: Int, nextAttempt: Date
    ) {
        self.containerId = containerId
        self.submissionId = submissionId
        self.clusterId = clusterId
        self.namespace = namespace
        self.podName = podName
        self.s3Key = s3Key
        self.date = date
        self.hour = hour
        self.nextAttempt = nextAttempt
    }

    /// The `logindex` row an archived task adds.
    public var indexEntry: LogIndexEntry {
        LogIndexEntry(logS3Key: s3Key, date: date, hour: hour, containerId: containerId)
    }
}

/// How an attempt at a claimed task ended, when it did not archive it.
public enum LogArchiveSetback: Sendable, Equatable {
    /// Try again at this time (S3 or the cluster failed for a reason that may pass).
    case retry(at: Date, error: String)
    /// Nothing to copy: the pod is gone.
    case unavailable(String)
    /// Give up: attempts are exhausted.
    case failed(String)
}

/// The claim and setback rules, written once for every store.
enum LogArchiveRules {
    /// Pending, due, and not held by another holder's live claim (a holder may take its own again:
    /// a retried claim whose reply was lost must not lock the task until the claim expires).
    static func isClaimable(_ task: LogArchiveTask, by holder: String, now: Date) -> Bool {
        guard task.state == .pending, task.nextAttempt <= now else { return false }
        guard let owner = task.claimedBy, let expires = task.claimExpires else { return true }
        return owner == holder || expires <= now
    }

    static func apply(_ setback: LogArchiveSetback, to task: inout LogArchiveTask) {
        task.claimedBy = nil
        task.claimExpires = nil
        switch setback {
        case .retry(let at, let error):
            task.nextAttempt = microsecondPrecision(at)
            task.lastError = error
        case .unavailable(let error):
            task.state = .unavailable
            task.lastError = error
        case .failed(let error):
            task.state = .failed
            task.lastError = error
        }
    }

    /// Times as the SQL stores keep them (whole microseconds), so every store returns equal values.
    static func microsecondPrecision(_ date: Date) -> Date {
        StoreTime.date(microseconds: StoreTime.microseconds(date))
    }
}
