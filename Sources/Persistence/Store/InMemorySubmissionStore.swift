import Foundation

/// A `SubmissionStore` in memory, with the same semantics as the database stores: for unit tests
/// of other modules, and as the reference the shared behaviour tests hold the others to.
public actor InMemorySubmissionStore: SubmissionStore {
    private var records: [String: SubmissionRecord] = [:]
    private var history: [String: [StatusTransition]] = [:]
    private var logIndex: [String: LogIndexEntry] = [:]
    private var logArchiveTasks: [String: LogArchiveTask] = [:]
    private var leases: [String: Lease] = [:]
    private var livyBatchIds: [String: Int64] = [:]
    private var livyBatchList: [LivyBatch] = []
    private var closed = false
    private let now: @Sendable () -> Date

    /// - Parameter now: the clock for lease expiry (tests pass a controllable one).
    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    private func open(_ operation: String) throws {
        if closed { throw StoreError(.closed, operation: operation, message: "the store was shut down") }
    }

    private func appendHistory(_ id: String, _ status: String, _ version: Int64, _ time: Date, message: String? = nil) {
        history[id, default: []].append(StatusTransition(status: status, observedVersion: version, time: time, message: message))
    }

    /// The SQL stores' `appendChange`: `record` is the row before the change.
    private func appendChange(_ record: SubmissionRecord, _ status: String, _ version: Int64, _ time: Date, message: String?) {
        if let previous = record.historyBackfill {
            appendHistory(record.submissionId, previous.status, previous.observedVersion, previous.time)
        }
        appendHistory(record.submissionId, status, version, time, message: message)
    }

    public func insertSubmission(_ submission: NewSubmission) throws -> InsertOutcome {
        try open("insertSubmission")
        if let key = submission.idempotencyKey,
            let existing = records.values.first(where: { $0.user == submission.user && $0.idempotencyKey == key }),
            existing.submissionId != submission.submissionId
        {
            return .existingForIdempotencyKey(existing)
        }
        if var existing = records[submission.submissionId] {
            if submission.matches(existing) { return .inserted(existing) }
            guard existing.isPlaceholder else {
                throw StoreError(
                    .conflict, operation: "insertSubmission",
                    message: "submission id \(submission.submissionId) already records another submission")
            }
            existing.fill(from: submission)
            records[submission.submissionId] = existing
            return .inserted(existing)
        }
        let record = SubmissionRecord(accepted: submission)
        records[submission.submissionId] = record
        appendHistory(submission.submissionId, SubmissionState.accepted, 0, record.updatedTime ?? submission.createdTime)
        return .inserted(record)
    }

    public func markCreated(submissionId: String, at time: Date) throws -> Bool {
        try open("markCreated")
        guard var record = records[submissionId] else { return false }
        let before = record
        switch record.createdRule() {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        record.status = SubmissionState.created
        record.updatedTime = microsecondTime(time)
        records[submissionId] = record
        appendChange(before, SubmissionState.created, 0, microsecondTime(time), message: nil)
        return true
    }

    public func markSubmissionFailed(submissionId: String, error: String, at time: Date) throws -> Bool {
        try open("markSubmissionFailed")
        guard var record = records[submissionId] else { return false }
        let before = record
        switch record.submissionFailedRule(error: error) {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        record.status = SubmissionState.submissionFailed
        record.errorMessage = error
        record.finishedTime = StoreTime.truncated(time)
        record.updatedTime = microsecondTime(time)
        records[submissionId] = record
        appendChange(before, SubmissionState.submissionFailed, 0, microsecondTime(time), message: error)
        return true
    }

    public func markOutcomeUnknown(submissionId: String, error: String, at time: Date) throws -> Bool {
        try open("markOutcomeUnknown")
        guard var record = records[submissionId] else { return false }
        let before = record
        switch record.outcomeUnknownRule() {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        record.status = SubmissionState.outcomeUnknown
        record.errorMessage = error
        record.updatedTime = microsecondTime(time)
        records[submissionId] = record
        appendChange(before, SubmissionState.outcomeUnknown, 0, microsecondTime(time), message: error)
        return true
    }

    public func fence(submissionId: String, reason: String, at time: Date) throws -> Bool {
        try open("fence")
        guard var record = records[submissionId] else { return false }
        let before = record
        switch record.fenceRule() {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        record.status = SubmissionState.fenced
        record.errorMessage = reason
        record.finishedTime = StoreTime.truncated(time)
        record.updatedTime = microsecondTime(time)
        records[submissionId] = record
        appendChange(before, SubmissionState.fenced, 0, microsecondTime(time), message: reason)
        return true
    }

    public func updateStatus(submissionId: String, status: String, observedVersion: Int64, at time: Date) throws
        -> Bool
    {
        try open("updateStatus")
        guard var record = records[submissionId] else { return false }
        let before = record
        switch record.statusRule(status: status, observedVersion: observedVersion) {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        let changed = record.status != status
        record.status = status
        record.statusVersion = observedVersion
        record.updatedTime = microsecondTime(time)
        records[submissionId] = record
        if changed {
            appendChange(before, status, observedVersion, microsecondTime(time), message: before.observedMessage(for: status))
        }
        return true
    }

    public func recordAppId(submissionId: String, appId: String) throws {
        try open("recordAppId")
        var record = records[submissionId] ?? placeholder(submissionId)
        record.appId = appId
        records[submissionId] = record
    }

    public func recordJobInfo(submissionId: String, _ info: JobInfo) throws -> Bool {
        try open("recordJobInfo")
        guard var record = records[submissionId], record.startTime == nil else { return false }
        record.apply(info)
        records[submissionId] = record
        return true
    }

    public func recordObservation(_ observed: ObservedApplication) throws {
        try open("recordObservation")
        let id = observed.submissionId
        if let adoption = observed.adoption {
            var record = records[id] ?? {
                var created = SubmissionRecord(submissionId: id)
                created.queue = adoption.queue
                created.createdTime = StoreTime.truncated(adoption.createdTime)
                return created
            }()
            record.user = record.user ?? adoption.user
            record.resolvedQueue = record.resolvedQueue ?? adoption.queue
            record.clusterId = record.clusterId ?? adoption.clusterId
            record.namespace = record.namespace ?? adoption.namespace
            records[id] = record
        }
        guard var record = records[id], record.observedVersion <= observed.version else { return }
        record.observedVersion = observed.version
        record.observedCreatedMillis = observed.createdMillis
        record.terminationMillis = observed.terminationMillis
        record.executionAttempts = observed.executionAttempts
        record.submissionAttempts = observed.submissionAttempts
        record.applicationErrorMessage = observed.errorMessage
        record.maxRunningMillis = observed.maxRunningMillis
        record.driverPodName = observed.driverPodName ?? record.driverPodName
        records[id] = record
    }

    public func recordNote(submissionId: String, note: String) throws {
        try open("recordNote")
        records[submissionId]?.note = note
    }

    public func markFinished(
        submissionId: String, status: String, finishedTime: Date, observedVersion: Int64, rates: CostRates?
    ) throws -> Bool {
        try open("markFinished")
        var record = records[submissionId] ?? placeholder(submissionId)
        let before = record
        switch record.finishRule(status: status, finishedTime: finishedTime, observedVersion: observedVersion) {
        case .reject: return false
        case .alreadyApplied: return true
        case .apply: break
        }
        let changed = record.status != status
        record.status = status
        record.statusVersion = max(record.statusVersion, observedVersion)
        record.finishedTime = StoreTime.truncated(finishedTime)
        record.cost = rates?.cost(of: record, finishedTime: finishedTime)
        record.updatedTime = microsecondTime(finishedTime)
        records[submissionId] = record
        if changed {
            appendChange(
                before, status, observedVersion, microsecondTime(finishedTime), message: before.observedMessage(for: status))
        }
        return true
    }

    public func submission(id: String) throws -> SubmissionRecord? {
        try open("submission")
        return records[id]
    }

    public func submission(appId: String) throws -> SubmissionRecord? {
        try open("submissionByAppId")
        return records.values.filter { $0.appId == appId }.sorted(by: Self.newestFirst).first
    }

    public func submission(user: String, idempotencyKey: String) throws -> SubmissionRecord? {
        try open("submissionByIdempotencyKey")
        return records.values.first { $0.user == user && $0.idempotencyKey == idempotencyKey }
    }

    public func statusHistory(submissionId: String) throws -> [StatusTransition] {
        try open("statusHistory")
        return history[submissionId] ?? []
    }

    public func listSubmissions(_ query: SubmissionQuery) throws -> SubmissionPage {
        try open("listSubmissions")
        let (limit, cursor) = try query.validated(operation: "listSubmissions")
        let page = records.values
            .filter { query.admits($0) && (cursor?.precedes($0) ?? true) }
            .sorted(by: Self.newestFirst)
            .prefix(limit)
        let rows = Array(page)
        let next = rows.count == limit ? rows.last.map { SubmissionCursor(after: $0).encoded } : nil
        return SubmissionPage(records: rows, nextCursor: next)
    }

    public func logKeys(containerId: String) throws -> [String] {
        try open("logKeys")
        return logIndex.values.filter { $0.containerId == containerId }.map(\.logS3Key).sorted()
    }

    public func addLogIndexEntry(_ entry: LogIndexEntry) throws {
        try open("addLogIndexEntry")
        if logIndex[entry.logS3Key] == nil { logIndex[entry.logS3Key] = entry }
    }

    public func enqueueLogArchive(_ task: LogArchiveTask) throws -> Bool {
        try open("enqueueLogArchive")
        guard logArchiveTasks[task.containerId] == nil else { return false }
        var task = task
        task.state = .pending
        task.attempts = 0
        task.claimedBy = nil
        task.claimExpires = nil
        task.lastError = nil
        logArchiveTasks[task.containerId] = task
        return true
    }

    public func claimLogArchives(clusterId: String, holder: String, now: Date, claimFor: Duration, limit: Int) throws
        -> [LogArchiveTask]
    {
        try open("claimLogArchives")
        let due = logArchiveTasks.values
            .filter { $0.clusterId == clusterId && LogArchiveRules.isClaimable($0, by: holder, now: now) }
            .sorted { ($0.nextAttempt, $0.containerId) < ($1.nextAttempt, $1.containerId) }
            .prefix(max(0, limit))
        var claimed: [LogArchiveTask] = []
        for var task in due {
            task.claimedBy = holder
            task.claimExpires = LogArchiveRules.microsecondPrecision(now.addingTimeInterval(claimFor.seconds))
            task.attempts += 1
            logArchiveTasks[task.containerId] = task
            claimed.append(task)
        }
        return claimed
    }

    public func completeLogArchive(containerId: String, at time: Date) throws -> Bool {
        try open("completeLogArchive")
        guard var task = logArchiveTasks[containerId], task.state != .archived else { return false }
        if logIndex[task.s3Key] == nil { logIndex[task.s3Key] = task.indexEntry }
        task.state = .archived
        task.claimedBy = nil
        task.claimExpires = nil
        task.lastError = nil
        logArchiveTasks[containerId] = task
        return true
    }

    public func deferLogArchive(containerId: String, holder: String, _ setback: LogArchiveSetback, at time: Date) throws
        -> Bool
    {
        try open("deferLogArchive")
        guard var task = logArchiveTasks[containerId], task.state == .pending, task.claimedBy == holder else { return false }
        LogArchiveRules.apply(setback, to: &task)
        logArchiveTasks[containerId] = task
        return true
    }

    public func logArchives(submissionId: String) throws -> [LogArchiveTask] {
        try open("logArchives")
        return logArchiveTasks.values.filter { $0.submissionId == submissionId }.sorted { $0.containerId < $1.containerId }
    }

    public func livyBatchId(forSubmission submissionId: String, at time: Date) throws -> Int64 {
        try open("livyBatchId")
        if let id = livyBatchIds[submissionId] { return id }
        let id = Int64(livyBatchList.count + 1)
        livyBatchIds[submissionId] = id
        livyBatchList.append(LivyBatch(batchId: id, submissionId: submissionId))
        return id
    }

    public func livyBatch(id batchId: Int64) throws -> LivyBatch? {
        try open("livyBatch")
        guard batchId >= 1, batchId <= livyBatchList.count else { return nil }
        return livyBatchList[Int(batchId - 1)]
    }

    public func livyBatches(user: String?, from: Int, size: Int) throws -> LivyBatchPage {
        try open("livyBatches")
        let matching = livyBatchList.filter { batch in user == nil || records[batch.submissionId]?.user == user }
        return LivyBatchPage(total: matching.count, batches: Array(matching.dropFirst(max(0, from)).prefix(max(0, size))))
    }

    public func acquireLease(name: String, holder: String, duration: Duration) throws -> Lease? {
        try open("acquireLease")
        let time = now()
        let expires = time.addingTimeInterval(duration.seconds)
        if let lease = leases[name], lease.holder != holder, lease.expiresAt > time { return nil }
        let previous = leases[name]
        let token = previous.map { $0.holder == holder && $0.expiresAt > time ? $0.token : $0.token + 1 } ?? 1
        let lease = Lease(name: name, holder: holder, expiresAt: expires, token: token)
        leases[name] = lease
        return lease
    }

    public func renewLease(name: String, holder: String, duration: Duration) throws -> Lease? {
        try open("renewLease")
        let time = now()
        guard var lease = leases[name], lease.holder == holder, lease.expiresAt > time else { return nil }
        lease.expiresAt = time.addingTimeInterval(duration.seconds)
        leases[name] = lease
        return lease
    }

    public func releaseLease(name: String, holder: String) throws -> Bool {
        try open("releaseLease")
        guard var lease = leases[name], lease.holder == holder, lease.expiresAt > now() else { return false }
        lease.expiresAt = Date(timeIntervalSince1970: 0)
        leases[name] = lease
        return true
    }

    public func currentLease(name: String) throws -> Lease? {
        try open("currentLease")
        guard let lease = leases[name], lease.expiresAt > now() else { return nil }
        return lease
    }

    public func shutdown() {
        closed = true
    }

    private func placeholder(_ id: String) -> SubmissionRecord {
        var record = SubmissionRecord(submissionId: id)
        record.createdTime = StoreTime.truncated(now())
        return record
    }

    private func microsecondTime(_ date: Date) -> Date {
        StoreTime.date(microseconds: StoreTime.microseconds(date))
    }

    static func newestFirst(_ a: SubmissionRecord, _ b: SubmissionRecord) -> Bool {
        let left = a.createdTime ?? Date(timeIntervalSince1970: 0)
        let right = b.createdTime ?? Date(timeIntervalSince1970: 0)
        return left != right ? left > right : a.submissionId > b.submissionId
    }
}

extension SubmissionRecord {
    /// The row exactly as an insert of `submission` writes it (so the insert need not read it back).
    init(accepted submission: NewSubmission) {
        self.init(submissionId: submission.submissionId)
        fill(from: submission)
        status = SubmissionState.accepted
        createdTime = StoreTime.truncated(submission.createdTime)
        updatedTime = StoreTime.date(microseconds: StoreTime.microseconds(submission.createdTime))
    }

    /// The status a row held before any gateway changed it (BPG's rows: a status, no `updated_time`),
    /// as the first history entry; nil for every row the gateway wrote, whose history is complete.
    var historyBackfill: StatusTransition? {
        guard updatedTime == nil, let status, !status.isEmpty else { return nil }
        return StatusTransition(
            status: status, observedVersion: statusVersion,
            time: createdTime ?? Date(timeIntervalSince1970: 0))
    }

    /// The message of an observed change to `status`: the operator's error message as the monitor
    /// last recorded it (it writes the observation before the status), and on `FAILED` the gateway's
    /// note after it, as the status response shows them.
    public func observedMessage(for status: String) -> String? {
        var parts: [String] = []
        if let error = applicationErrorMessage, !error.isEmpty { parts.append(error) }
        if status == SubmissionState.failed, let note, !note.isEmpty { parts.append(note) }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// A row the monitor created before the submitter's insert (BPG's upserts allow that order).
    var isPlaceholder: Bool { user == nil && requestBody == nil }

    /// The status rules every store applies (the SQL stores decide in Swift on the locked row).
    /// A repeat of a change already made (same status and version) reports success without
    /// writing, so an operation retried after a lost connection reports what really happened.
    func createdRule() -> TransitionDecision {
        if status == SubmissionState.created && statusVersion == 0 && finishedTime == nil { return .alreadyApplied }
        return isCreateInFlight ? .apply : .reject
    }

    /// Recorded, created on no cluster as far as the gateway knows, and not yet settled: `ACCEPTED`,
    /// or `OUTCOME_UNKNOWN` before the operator reported.
    var isCreateInFlight: Bool {
        (status == SubmissionState.accepted || status == SubmissionState.outcomeUnknown) && statusVersion == 0
            && finishedTime == nil
    }

    func outcomeUnknownRule() -> TransitionDecision {
        if status == SubmissionState.outcomeUnknown && statusVersion == 0 && finishedTime == nil { return .alreadyApplied }
        return status == SubmissionState.accepted && statusVersion == 0 && finishedTime == nil ? .apply : .reject
    }

    /// Only an attempt nobody has seen exist can be fenced; once the operator reported (or the
    /// create was confirmed) the application is real and the fence is refused.
    func fenceRule() -> TransitionDecision {
        if status == SubmissionState.fenced { return .alreadyApplied }
        return isCreateInFlight ? .apply : .reject
    }

    func submissionFailedRule(error: String) -> TransitionDecision {
        if status == SubmissionState.submissionFailed && errorMessage == error { return .alreadyApplied }
        // An unknown outcome is never turned into a failure: only settling (confirm or fence) ends it.
        if status == SubmissionState.outcomeUnknown { return .reject }
        return !isFinished && statusVersion == 0 ? .apply : .reject
    }

    func statusRule(status newStatus: String, observedVersion: Int64) -> TransitionDecision {
        if status == newStatus && statusVersion == observedVersion && observedVersion > 0 { return .alreadyApplied }
        return (!isFinished || isObservedSubmissionFailure) && observedVersion > statusVersion ? .apply : .reject
    }

    /// `SUBMISSION_FAILED` as the operator reported it (an observed version, no finish yet): unlike
    /// the gateway's own (a create that failed, version 0) it is not final, because the operator
    /// moves such an application on to `FAILED` (or retries it), and the row follows.
    var isObservedSubmissionFailure: Bool {
        status == SubmissionState.submissionFailed && statusVersion > 0 && finishedTime == nil
    }

    /// Not yet finished, not older than the last applied status, and not changing one terminal
    /// state into another. The monitor may first apply the terminal status with `updateStatus`
    /// and then finish with the same version, so an equal version and terminal status are accepted.
    func finishRule(status newStatus: String, finishedTime time: Date, observedVersion: Int64) -> TransitionDecision {
        if let finishedTime {
            return finishedTime == StoreTime.truncated(time) && status == newStatus ? .alreadyApplied : .reject
        }
        guard observedVersion >= statusVersion else { return .reject }
        return !SubmissionState.isTerminal(status) || status == newStatus || isObservedSubmissionFailure ? .apply : .reject
    }

    mutating func fill(from submission: NewSubmission) {
        user = submission.user
        appName = submission.appName ?? appName
        sparkVersion = submission.sparkVersion
        queue = submission.queue
        resolvedQueue = submission.resolvedQueue
        clusterId = submission.clusterId
        namespace = submission.namespace
        idempotencyKey = submission.idempotencyKey
        requestBody = submission.requestBody
    }

    mutating func apply(_ info: JobInfo) {
        startTime = StoreTime.truncated(info.startTime)
        driverCores = info.driverCores
        driverMemoryMb = info.driverMemoryMb
        executorInstances = info.executorInstances
        executorCores = info.executorCores
        executorMemoryMb = info.executorMemoryMb
        dagName = info.dagName
        taskName = info.taskName
        appName = info.appName ?? appName
    }
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}

/// What a status rule says about a change.
enum TransitionDecision: Sendable {
    case apply
    /// The same change was already made: report success, write nothing.
    case alreadyApplied
    case reject
}
