import Foundation
import Testing

@testable import Persistence

/// One table of behaviour, run against every store kind (MySQL against the MariaDB that
/// `scripts/test.sh` starts; the test fails when it is missing).
@Suite struct StoreBehaviourTests {
    @Test(arguments: StoreKind.allCases)
    func insertThenReadBack(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let created = Date(timeIntervalSince1970: 1_760_000_000.75)
            let outcome = try await store.insertSubmission(submission("s-read", created: created, key: "k1"))
            guard case .inserted(let inserted) = outcome else { Issue.record("not inserted: \(outcome)"); return }
            let record = try #require(try await store.submission(id: "s-read"))
            #expect(record == inserted)
            #expect(record.user == "alice")
            #expect(record.appName == "app-alice")
            #expect(record.sparkVersion == "3.5.0")
            #expect(record.queue == "poc")
            #expect(record.resolvedQueue == "root.poc")
            #expect(record.clusterId == "spark-a")
            #expect(record.namespace == "spark-ns")
            #expect(record.idempotencyKey == "k1")
            #expect(record.requestBody == "{}")
            #expect(record.status == SubmissionState.accepted)
            #expect(record.createdTime == second(1_760_000_000))
            #expect(record.finishedTime == nil)
            #expect(try await store.submission(id: "missing") == nil)
            let history = try await store.statusHistory(submissionId: "s-read")
            #expect(history.map(\.status) == [SubmissionState.accepted])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func retriedInsertIsNotDuplicatedAndDifferentContentConflicts(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = submission("s-dup", body: #"{"a":1}"#)
            _ = try await store.insertSubmission(first)
            let again = try await store.insertSubmission(first)
            guard case .inserted(let record) = again else { Issue.record("retry not accepted: \(again)"); return }
            #expect(record.requestBody == #"{"a":1}"#)
            #expect(try await store.statusHistory(submissionId: "s-dup").count == 1)
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.insertSubmission(submission("s-dup", body: #"{"a":2}"#))
            }
            #expect(error?.kind == .conflict)
            #expect(try await store.submission(id: "s-dup")?.requestBody == #"{"a":1}"#)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func idempotencyKeyIsUniquePerUser(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("s-k1", user: "alice", key: "retry-1"))
            let second = try await store.insertSubmission(submission("s-k2", user: "alice", key: "retry-1"))
            guard case .existingForIdempotencyKey(let existing) = second else {
                Issue.record("expected the first submission, got \(second)")
                return
            }
            #expect(existing.submissionId == "s-k1")
            #expect(try await store.submission(id: "s-k2") == nil)
            // Another user may use the same key.
            let other = try await store.insertSubmission(submission("s-k3", user: "bob", key: "retry-1"))
            guard case .inserted = other else { Issue.record("bob's submission was refused: \(other)"); return }
            #expect(try await store.submission(user: "alice", idempotencyKey: "retry-1")?.submissionId == "s-k1")
            #expect(try await store.submission(user: "bob", idempotencyKey: "retry-1")?.submissionId == "s-k3")
            #expect(try await store.submission(user: "carol", idempotencyKey: "retry-1") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusIsMonotonic(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let t0 = second(1_760_000_000)
            _ = try await store.insertSubmission(submission("s-mono", created: t0))
            #expect(try await store.markCreated(submissionId: "s-mono", at: t0.addingTimeInterval(1)))
            #expect(try await store.updateStatus(submissionId: "s-mono", status: "RUNNING", observedVersion: 5, at: t0.addingTimeInterval(2)))
            // Out of order: an older observation arrives late and is ignored.
            #expect(!(try await store.updateStatus(submissionId: "s-mono", status: "SUBMITTED", observedVersion: 3, at: t0.addingTimeInterval(3))))
            #expect(!(try await store.updateStatus(submissionId: "s-mono", status: "SUBMITTED", observedVersion: 5, at: t0.addingTimeInterval(3))))
            // The gateway's own late "created" must not overwrite what the operator reported.
            #expect(!(try await store.markCreated(submissionId: "s-mono", at: t0.addingTimeInterval(3))))
            #expect(!(try await store.markSubmissionFailed(submissionId: "s-mono", error: "late", at: t0.addingTimeInterval(3))))
            #expect(try await store.updateStatus(submissionId: "s-mono", status: "COMPLETED", observedVersion: 7, at: t0.addingTimeInterval(4)))
            // Terminal: nothing reverts it, whatever the version.
            #expect(!(try await store.updateStatus(submissionId: "s-mono", status: "RUNNING", observedVersion: 9, at: t0.addingTimeInterval(5))))
            let record = try #require(try await store.submission(id: "s-mono"))
            #expect(record.status == "COMPLETED")
            #expect(record.statusVersion == 7)
            let history = try await store.statusHistory(submissionId: "s-mono")
            #expect(history.map(\.status) == ["ACCEPTED", "CREATED", "RUNNING", "COMPLETED"])
            #expect(history.map(\.observedVersion) == [0, 0, 5, 7])
            #expect(history.last?.time == t0.addingTimeInterval(4))
            // Unknown states are stored as they are; an unknown row is not created by a status update.
            _ = try await store.insertSubmission(submission("s-odd"))
            #expect(try await store.updateStatus(submissionId: "s-odd", status: "SUSPENDING", observedVersion: 1, at: t0))
            #expect(try await store.submission(id: "s-odd")?.status == "SUSPENDING")
            #expect(!(try await store.updateStatus(submissionId: "s-none", status: "RUNNING", observedVersion: 1, at: t0)))
            #expect(try await store.submission(id: "s-none") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func failedCreateRecordsTheError(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let t0 = second(1_760_000_100)
            _ = try await store.insertSubmission(submission("s-fail", created: t0))
            #expect(try await store.markSubmissionFailed(submissionId: "s-fail", error: "admission webhook denied: ☃", at: t0.addingTimeInterval(2)))
            let record = try #require(try await store.submission(id: "s-fail"))
            #expect(record.status == SubmissionState.submissionFailed)
            #expect(record.errorMessage == "admission webhook denied: ☃")
            #expect(record.finishedTime == t0.addingTimeInterval(2))
            #expect(!(try await store.updateStatus(submissionId: "s-fail", status: "RUNNING", observedVersion: 3, at: t0)))
            #expect(!(try await store.markCreated(submissionId: "s-fail", at: t0)))
        }
    }

    /// An unknown outcome is never a failure: the row says OUTCOME_UNKNOWN, the operator's first
    /// status (or a confirmed create) moves it on, and a fence is refused once it did.
    @Test(arguments: StoreKind.allCases)
    func unknownOutcomeIsSettledByWhatTheClusterShows(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let t0 = second(1_760_000_200)
            _ = try await store.insertSubmission(submission("s-unknown", created: t0))
            #expect(try await store.markOutcomeUnknown(submissionId: "s-unknown", error: "timeout", at: t0))
            #expect(try await store.markOutcomeUnknown(submissionId: "s-unknown", error: "timeout", at: t0))
            var record = try #require(try await store.submission(id: "s-unknown"))
            #expect(record.status == SubmissionState.outcomeUnknown)
            #expect(record.errorMessage == "timeout")
            #expect(record.finishedTime == nil)
            #expect(!(try await store.markSubmissionFailed(submissionId: "s-unknown", error: "late", at: t0)))

            #expect(try await store.updateStatus(submissionId: "s-unknown", status: "SUBMITTED", observedVersion: 5, at: t0))
            #expect(!(try await store.fence(submissionId: "s-unknown", reason: "superseded", at: t0)))
            record = try #require(try await store.submission(id: "s-unknown"))
            #expect(record.status == "SUBMITTED")

            // A confirmed create settles it the same way.
            _ = try await store.insertSubmission(submission("s-confirmed", created: t0))
            #expect(try await store.markOutcomeUnknown(submissionId: "s-confirmed", error: "timeout", at: t0))
            #expect(try await store.markCreated(submissionId: "s-confirmed", at: t0))
            #expect(!(try await store.fence(submissionId: "s-confirmed", reason: "superseded", at: t0)))
        }
    }

    /// A fenced attempt is final: no operator status, create confirmation or finish changes it.
    @Test(arguments: StoreKind.allCases)
    func fencedAttemptIsFinal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let t0 = second(1_760_000_300)
            _ = try await store.insertSubmission(submission("s-fenced", created: t0))
            #expect(try await store.markOutcomeUnknown(submissionId: "s-fenced", error: "timeout", at: t0))
            #expect(try await store.fence(submissionId: "s-fenced", reason: "superseded by s-next", at: t0.addingTimeInterval(1)))
            #expect(try await store.fence(submissionId: "s-fenced", reason: "superseded by s-next", at: t0.addingTimeInterval(1)))
            let record = try #require(try await store.submission(id: "s-fenced"))
            #expect(record.status == SubmissionState.fenced)
            #expect(record.errorMessage == "superseded by s-next")
            #expect(record.finishedTime == t0.addingTimeInterval(1))
            #expect(!(try await store.updateStatus(submissionId: "s-fenced", status: "RUNNING", observedVersion: 9, at: t0)))
            #expect(!(try await store.markCreated(submissionId: "s-fenced", at: t0)))
            #expect(!(try await store.markFinished(
                submissionId: "s-fenced", status: "COMPLETED", finishedTime: t0, observedVersion: 10, rates: nil)))
            let history = try await store.statusHistory(submissionId: "s-fenced").map(\.status)
            #expect(history == [SubmissionState.accepted, SubmissionState.outcomeUnknown, SubmissionState.fenced])

            // Straight from ACCEPTED too (a store write that failed before the unknown was recorded).
            _ = try await store.insertSubmission(submission("s-fenced-2", created: t0))
            #expect(try await store.fence(submissionId: "s-fenced-2", reason: "abandoned", at: t0))
        }
    }

    /// BPG's `LogDaoTest` scenario (docs/bpg-compatibility.md, "Upstream test cases we reproduce"), on
    /// the gateway's API.
    @Test(arguments: StoreKind.allCases)
    func bpgLogDaoScenario(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("submission1", user: "user1"))
            try await store.recordAppId(submissionId: "submission1", appId: "app1")
            // The monitor may log the app id before the submitter's row exists; the insert fills it in.
            try await store.recordAppId(submissionId: "submission2", appId: "app2")
            let placeholder = try #require(try await store.submission(id: "submission2"))
            #expect(placeholder.appId == "app2")
            #expect(placeholder.user == nil)
            let filled = try await store.insertSubmission(submission("submission2", user: "user2"))
            guard case .inserted(let record2) = filled else { Issue.record("placeholder not filled: \(filled)"); return }
            #expect(record2.user == "user2")
            #expect(record2.appId == "app2")

            _ = try await store.insertSubmission(submission("submission3", user: "user3"))
            #expect(try await store.updateStatus(submissionId: "submission3", status: "RUNNING", observedVersion: 1, at: Date()))
            let start = second(946_688_461)  // 2000-01-01T01:01:01Z
            let info = JobInfo(
                startTime: start, driverCores: 4, driverMemoryMb: 4096, executorInstances: 10, executorCores: 1,
                executorMemoryMb: 1024, dagName: "dag_name_1", taskName: "task_name_1", appName: "spark_app_name_1")
            #expect(try await store.recordJobInfo(submissionId: "submission3", info))
            // Recorded once: a second report does not overwrite the start.
            var later = info
            later.startTime = start.addingTimeInterval(60)
            #expect(!(try await store.recordJobInfo(submissionId: "submission3", later)))
            let running = try await store.listSubmissions(SubmissionQuery(status: "RUNNING"))
            #expect(running.records.map(\.submissionId) == ["submission3"])
            let row = try #require(running.records.first)
            #expect(row.startTime == start)
            #expect(row.driverCores == 4)
            #expect(row.driverMemoryMb == 4096)
            #expect(row.executorInstances == 10)
            #expect(row.executorCores == 1)
            #expect(row.executorMemoryMb == 1024)
            #expect(row.dagName == "dag_name_1")
            #expect(row.taskName == "task_name_1")
            #expect(row.appName == "spark_app_name_1")

            let finish = start.addingTimeInterval(100)
            let rates = CostRates(vCoreSecond: 0.01, memoryMbSecond: 0.0001)
            #expect(try await store.markFinished(submissionId: "submission3", status: "COMPLETED", finishedTime: finish, observedVersion: 2, rates: rates))
            let finished = try #require(try await store.submission(id: "submission3"))
            #expect(finished.finishedTime == finish)
            // ((1024 × 10 + 4096) × 0.0001 + (1 × 10 + 4) × 0.01) × 100 s
            #expect(finished.cost == Decimal(string: "157.36"))
            #expect(!(try await store.updateStatus(submissionId: "submission3", status: "RUNNING", observedVersion: 3, at: Date())))
            #expect(try await store.listSubmissions(SubmissionQuery(status: "RUNNING")).records.isEmpty)

            // Finishing an unknown submission twice leaves one row.
            #expect(try await store.markFinished(submissionId: "submission4", status: "COMPLETED", finishedTime: finish, observedVersion: 1, rates: nil))
            #expect(!(try await store.markFinished(submissionId: "submission4", status: "FAILED", finishedTime: finish, observedVersion: 2, rates: nil)))
            let completed = try await store.listSubmissions(SubmissionQuery(status: "COMPLETED"))
            #expect(Set(completed.records.map(\.submissionId)) == ["submission3", "submission4"])
            #expect(completed.records.first { $0.submissionId == "submission4" }?.cost == nil)

            #expect(try await store.submission(appId: "app1")?.submissionId == "submission1")
            #expect(try await store.submission(appId: "nope") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func monitorMayApplyTheTerminalStatusBeforeFinishing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("s-term"))
            #expect(try await store.updateStatus(submissionId: "s-term", status: "FAILED", observedVersion: 4, at: Date()))
            let finish = second(1_760_000_500)
            #expect(try await store.markFinished(submissionId: "s-term", status: "FAILED", finishedTime: finish, observedVersion: 4, rates: nil))
            #expect(try await store.submission(id: "s-term")?.finishedTime == finish)
            #expect(try await store.statusHistory(submissionId: "s-term").map(\.status) == ["ACCEPTED", "FAILED"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func logIndexKeysAreSortedAndDeduplicated(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let container = "c08-6b11cae7c6d747f7a1bdccb0b435eedc-exec-64"
            for key in ["logkey_2", "logkey_0", "logkey_1", "logkey_0"] {
                try await store.addLogIndexEntry(LogIndexEntry(logS3Key: key, date: "2026-11-25", hour: 13, containerId: container))
            }
            try await store.addLogIndexEntry(LogIndexEntry(logS3Key: "other", date: "2026-11-25", hour: 1, containerId: "x-driver"))
            #expect(try await store.logKeys(containerId: container) == ["logkey_0", "logkey_1", "logkey_2"])
            #expect(try await store.logKeys(containerId: "nobody-driver") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listingFiltersAndKeysetPages(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let base = second(1_760_001_000)
            // Three rows per second, so pages break inside a second and ties sort by id.
            for index in 0..<30 {
                let user = index % 2 == 0 ? "alice" : "bob"
                _ = try await store.insertSubmission(
                    submission(String(format: "s-list-%02d", index), user: user, created: base.addingTimeInterval(Double(index / 3))))
            }
            var query = SubmissionQuery(limit: 7)
            var seen: [String] = []
            var pages = 0
            repeat {
                let page = try await store.listSubmissions(query)
                seen += page.records.map(\.submissionId)
                if pages == 0 {
                    // A newer row arriving between pages must not shift what follows.
                    _ = try await store.insertSubmission(submission("s-list-new", created: base.addingTimeInterval(3600)))
                }
                pages += 1
                query.cursor = page.nextCursor
            } while query.cursor != nil
            #expect(seen == (0..<30).reversed().map { String(format: "s-list-%02d", $0) })
            #expect(pages == 5)

            let alice = try await store.listSubmissions(SubmissionQuery(user: "alice", limit: 100))
            #expect(alice.records.count == 16)
            #expect(alice.records.allSatisfy { $0.user == "alice" })
            #expect(alice.nextCursor == nil)
            let byName = try await store.listSubmissions(SubmissionQuery(appName: "app-bob", limit: 100))
            #expect(byName.records.count == 15)
            let range = try await store.listSubmissions(
                SubmissionQuery(createdFrom: base.addingTimeInterval(2), createdBefore: base.addingTimeInterval(4), limit: 100))
            #expect(range.records.map(\.submissionId) == ["s-list-11", "s-list-10", "s-list-09", "s-list-08", "s-list-07", "s-list-06"])
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.listSubmissions(SubmissionQuery(cursor: "not-a-cursor!"))
            }
            #expect(error?.kind == .invalidArgument)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func streamingReturnsEveryRowInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let base = second(1_760_002_000)
            for index in 0..<120 {
                _ = try await store.insertSubmission(
                    submission(String(format: "s-stream-%03d", index), user: "streamer", created: base.addingTimeInterval(Double(index / 7))))
            }
            var ids: [String] = []
            for try await record in store.streamSubmissions(SubmissionQuery(user: "streamer", limit: 25)) {
                ids.append(record.submissionId)
            }
            #expect(ids == (0..<120).reversed().map { String(format: "s-stream-%03d", $0) })
        }
    }

    @Test(arguments: StoreKind.allCases)
    func unusualTextIsStoredVerbatim(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let samples = [
                "Grüße, 東京, emoji 🚀🧪, RTL שלום, combining e\u{301}",
                "'; DROP TABLE application_submission; --",
                #"Robert"); DELETE FROM logindex WHERE ("1"="1"#,
                "back\\slash \\' \\\" and % _ wildcards",
                "",
            ]
            for (index, text) in samples.enumerated() {
                let id = "s-text-\(index)"
                _ = try await store.insertSubmission(
                    NewSubmission(submissionId: id, user: "u-\(index) " + text, appName: text, queue: text, requestBody: text))
                let record = try #require(try await store.submission(id: id))
                #expect(record.requestBody == text)
                #expect(record.appName == text)
                #expect(record.queue == text)
                #expect(record.user == "u-\(index) " + text)
                #expect(try await store.listSubmissions(SubmissionQuery(user: "u-\(index) " + text)).records.count == 1)
            }
            // A 1 MB body of multi-byte characters survives byte for byte.
            let big = String(repeating: "ß€𝄞x", count: 1 << 20 / 10)
            #expect(big.utf8.count > 1_000_000)
            _ = try await store.insertSubmission(submission("s-big", body: big))
            #expect(try await store.submission(id: "s-big")?.requestBody == big)
            #expect(try await store.logKeys(containerId: "'; DROP TABLE logindex; --") == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func leaseHasOneHolderAndIsTakenOverAfterExpiry(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let name = "monitor-\(kind.rawValue)"
            // Long leases while the test needs them held (a loaded machine can stall a test for
            // seconds), then one renewed short so that it lapses.
            let first = try #require(try await store.acquireLease(name: name, holder: "replica-a", duration: .seconds(60)))
            #expect(first.holder == "replica-a")
            #expect(try await store.acquireLease(name: name, holder: "replica-b", duration: .seconds(60)) == nil)
            #expect(try await store.renewLease(name: name, holder: "replica-b", duration: .seconds(1)) == nil)
            #expect(!(try await store.releaseLease(name: name, holder: "replica-b")))
            let renewed = try #require(try await store.renewLease(name: name, holder: "replica-a", duration: .seconds(60)))
            #expect(renewed.token == first.token)
            #expect(renewed.expiresAt >= first.expiresAt)
            #expect(try await store.currentLease(name: name)?.holder == "replica-a")

            _ = try #require(try await store.renewLease(name: name, holder: "replica-a", duration: .milliseconds(500)))
            try await Task.sleep(for: .milliseconds(800))
            #expect(try await store.currentLease(name: name) == nil)
            #expect(try await store.renewLease(name: name, holder: "replica-a", duration: .seconds(1)) == nil)
            let taken = try #require(try await store.acquireLease(name: name, holder: "replica-b", duration: .seconds(30)))
            #expect(taken.holder == "replica-b")
            #expect(taken.token == first.token + 1)
            #expect(try await store.acquireLease(name: name, holder: "replica-a", duration: .seconds(30)) == nil)
            #expect(try await store.releaseLease(name: name, holder: "replica-b"))
            #expect(try await store.currentLease(name: name) == nil)
            let back = try #require(try await store.acquireLease(name: name, holder: "replica-a", duration: .seconds(30)))
            #expect(back.token == taken.token + 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentContendersNeverShareTheLease(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let name = "race-\(kind.rawValue)"
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for replica in 0..<8 {
                    group.addTask {
                        try await store.acquireLease(name: name, holder: "replica-\(replica)", duration: .seconds(30))?.holder
                    }
                }
                var winners: [String] = []
                for try await winner in group { if let winner { winners.append(winner) } }
                return winners
            }
            #expect(winners.count == 1)
            #expect(try await store.currentLease(name: name)?.holder == winners.first)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func shutDownStoreRefusesWork(kind: StoreKind) async throws {
        let store = try await TestEnvironment.makeStore(kind)
        await TestEnvironment.close(store)
        let error = await #expect(throws: StoreError.self) { _ = try await store.submission(id: "x") }
        #expect(error?.kind == .closed)
    }
}
