import Foundation

/// Where the gateway keeps its submission records, status history, log index and leases.
///
/// Implementations: `MySQLSubmissionStore` (production, over MariaDB Connector/C),
/// `SQLiteSubmissionStore` (one machine, dev mode) and `InMemorySubmissionStore` (unit tests of
/// other modules). All three pass the same table of behaviour tests.
///
/// Guarantees:
/// - An operation that returns has been committed; one that throws has not, except for
///   `StoreError.Kind.outcomeUnknown`, which says so.
/// - Status is monotonic: a terminal state (`SubmissionState.terminal`) or a finished row never
///   changes status again, and an update whose observed version is not greater than the row's is
///   ignored (the call returns `false`).
/// - Inserts are idempotent by submission id: retrying an insert that already committed succeeds
///   only when the stored row records the same submission.
public protocol SubmissionStore: Sendable {
    /// Records an accepted submission (status `ACCEPTED`) before the Kubernetes create.
    ///
    /// A monitor-created placeholder row (app id or finish logged first, no user) is filled in.
    /// Throws `.conflict` when the id exists with different content.
    func insertSubmission(_ submission: NewSubmission) async throws -> InsertOutcome

    /// Marks the Kubernetes create as done (status `CREATED`), unless the operator already reported.
    @discardableResult
    func markCreated(submissionId: String, at time: Date) async throws -> Bool

    /// Marks the Kubernetes create as failed: status `SUBMISSION_FAILED`, the error, finished now.
    @discardableResult
    func markSubmissionFailed(submissionId: String, error: String, at time: Date) async throws -> Bool

    /// Records that the create was sent but its outcome is unknown (status `OUTCOME_UNKNOWN`, the
    /// error kept): only from `ACCEPTED`. Returns whether the row is (now) in that state.
    @discardableResult
    func markOutcomeUnknown(submissionId: String, error: String, at time: Date) async throws -> Bool

    /// Abandons an attempt whose application nobody has seen: status `FENCED`, the reason, finished
    /// now. Only from `ACCEPTED` or `OUTCOME_UNKNOWN` before any operator status: returns `false`
    /// when the application was already confirmed (the caller must then treat it as created).
    func fence(submissionId: String, reason: String, at time: Date) async throws -> Bool

    /// Applies an observed status if the row is not finished and `observedVersion` is greater than
    /// the last applied one; returns whether it was applied.
    @discardableResult
    func updateStatus(submissionId: String, status: String, observedVersion: Int64, at time: Date) async throws
        -> Bool

    /// Records Spark's application id, creating a placeholder row if the submission is unknown.
    func recordAppId(submissionId: String, appId: String) async throws

    /// Records start time and resources once (BPG: only while `start_time` is still NULL).
    @discardableResult
    func recordJobInfo(submissionId: String, _ info: JobInfo) async throws -> Bool

    /// Marks a row finished with a terminal status and its cost (created as a placeholder if
    /// unknown). The first finish wins; later ones, and older observed versions, return `false`.
    @discardableResult
    func markFinished(
        submissionId: String, status: String, finishedTime: Date, observedVersion: Int64, rates: CostRates?
    ) async throws -> Bool

    /// Records what the monitor observed beyond the state (an observation older than the stored one
    /// is ignored). Without `adoption`, nothing happens for an unknown id; with it, a row is created
    /// when missing and its owner, queue, cluster and namespace filled where empty.
    func recordObservation(_ observed: ObservedApplication) async throws

    /// Sets the row's note (why the gateway acted on the application); nothing for an unknown id.
    func recordNote(submissionId: String, note: String) async throws

    /// The record with this submission id.
    func submission(id: String) async throws -> SubmissionRecord?
    /// The most recent record with this Spark application id.
    func submission(appId: String) async throws -> SubmissionRecord?
    /// The user's record with this idempotency key.
    func submission(user: String, idempotencyKey: String) async throws -> SubmissionRecord?
    /// Accepted status changes, oldest first.
    func statusHistory(submissionId: String) async throws -> [StatusTransition]

    /// One page of records matching `query`, newest first.
    func listSubmissions(_ query: SubmissionQuery) async throws -> SubmissionPage

    /// The S3 keys of a container's logs, sorted and without duplicates.
    func logKeys(containerId: String) async throws -> [String]
    /// Adds a log index row; an existing key is left as it is (BPG's indexer uses `INSERT IGNORE`).
    func addLogIndexEntry(_ entry: LogIndexEntry) async throws

    /// Records a log to archive (state `pending`, due at `task.nextAttempt`) unless its container id
    /// is already recorded; returns whether this call recorded it.
    @discardableResult
    func enqueueLogArchive(_ task: LogArchiveTask) async throws -> Bool
    /// Claims up to `limit` pending tasks of `clusterId` that are due at `now` and not claimed by
    /// another holder (or whose claim expired): each is marked claimed by `holder` until
    /// `now + claimFor` with one more attempt, by a conditional update, so two holders never both
    /// get the same task. Returns the claimed tasks as they now are.
    func claimLogArchives(clusterId: String, holder: String, now: Date, claimFor: Duration, limit: Int) async throws
        -> [LogArchiveTask]
    /// Marks a task archived and adds its `logindex` row, in one transaction; returns `false` when it
    /// was already archived (by this or another holder: the object is the same, the row is not added
    /// twice) or is unknown. Any holder may complete it, since the upload is idempotent by key.
    @discardableResult
    func completeLogArchive(containerId: String, at time: Date) async throws -> Bool
    /// Ends `holder`'s claim on a pending task with a setback; returns `false` (and changes nothing)
    /// when the task is no longer pending or no longer claimed by `holder`.
    @discardableResult
    func deferLogArchive(containerId: String, holder: String, _ setback: LogArchiveSetback, at time: Date) async throws
        -> Bool
    /// The archive tasks of a submission, by container id.
    func logArchives(submissionId: String) async throws -> [LogArchiveTask]

    /// The Livy batch id of a submission, assigned (the next integer) on the first call and the same
    /// on every later one, so a retried assignment never gives one submission two ids.
    func livyBatchId(forSubmission submissionId: String, at time: Date) async throws -> Int64
    /// The submission a Livy batch id names.
    func livyBatch(id batchId: Int64) async throws -> LivyBatch?
    /// Livy batches, lowest id first, skipping `from` and returning at most `size`; only those whose
    /// record belongs to `user` when it is given.
    func livyBatches(user: String?, from: Int, size: Int) async throws -> LivyBatchPage

    /// Takes the lease if it is free, expired or already ours; returns it, or nil if another holds it.
    func acquireLease(name: String, holder: String, duration: Duration) async throws -> Lease?
    /// Extends our unexpired lease; nil if it expired or changed hands.
    func renewLease(name: String, holder: String, duration: Duration) async throws -> Lease?
    /// Gives the lease up if we hold it; returns whether we did.
    @discardableResult
    func releaseLease(name: String, holder: String) async throws -> Bool
    /// The current holder, if the lease is held and unexpired.
    func currentLease(name: String) async throws -> Lease?

    /// The connection pool's current use; nil for stores without a pool (SQLite, in-memory).
    var poolStatistics: StorePoolStatistics? { get }

    /// Closes connections and threads; later calls throw `.closed`.
    func shutdown() async
}

extension SubmissionStore {
    /// Stores without a pool report none.
    public var poolStatistics: StorePoolStatistics? { nil }

    /// Every record matching `query` (its `limit` is the page size), read page by page so a large
    /// listing never sits in memory at once. Iteration stops early when the consumer stops.
    ///
    /// ```swift
    /// for try await record in store.streamSubmissions(SubmissionQuery(status: "RUNNING")) { … }
    /// ```
    public func streamSubmissions(_ query: SubmissionQuery) -> AsyncThrowingStream<SubmissionRecord, any Error> {
        // Pull-based: a page is fetched only when the consumer has taken every row of the previous
        // one, so memory stays at one page however large the listing.
        let pager = SubmissionPager(store: self, query: query)
        return AsyncThrowingStream(unfolding: { try await pager.next() })
    }
}

/// The cursor state behind `streamSubmissions`.
private actor SubmissionPager {
    private let store: any SubmissionStore
    private var query: SubmissionQuery
    private var buffered: [SubmissionRecord] = []
    private var index = 0
    private var exhausted = false

    init(store: any SubmissionStore, query: SubmissionQuery) {
        self.store = store
        self.query = query
    }

    func next() async throws -> SubmissionRecord? {
        while index == buffered.count {
            if exhausted { return nil }
            let page = try await store.listSubmissions(query)
            buffered = page.records
            index = 0
            if let cursor = page.nextCursor { query.cursor = cursor } else { exhausted = true }
        }
        defer { index += 1 }
        return buffered[index]
    }
}
