import Foundation
import TestSupport
import Testing

@testable import Persistence

/// What the monitor observes beyond the state (`recordObservation`), the gateway's note, adopting
/// BPG's applications, and the operator's `SUBMISSION_FAILED`: the same table for every store.
@Suite struct ObservationStoreTests {
    static func observed(_ id: String, version: Int64, pod: String? = "pod-a", message: String? = "boom") -> ObservedApplication {
        ObservedApplication(
            submissionId: id, version: version, createdMillis: 1_760_000_000_000, terminationMillis: 1_760_000_100_000,
            executionAttempts: 2, submissionAttempts: 3, errorMessage: message, maxRunningMillis: 60_000,
            driverPodName: pod)
    }

    @Test(arguments: StoreKind.allCases)
    func observationIsStoredAndAnOlderOneIgnored(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("s-obs"))
            try await store.recordObservation(Self.observed("s-obs", version: 5))
            var record = try #require(try await store.submission(id: "s-obs"))
            #expect(record.observedVersion == 5)
            #expect(record.observedCreatedMillis == 1_760_000_000_000)
            #expect(record.terminationMillis == 1_760_000_100_000)
            #expect(record.executionAttempts == 2)
            #expect(record.submissionAttempts == 3)
            #expect(record.applicationErrorMessage == "boom")
            #expect(record.maxRunningMillis == 60_000)
            #expect(record.driverPodName == "pod-a")
            // The gateway's own error column is another thing and stays empty.
            #expect(record.errorMessage == nil)
            // A replayed older observation changes nothing.
            try await store.recordObservation(Self.observed("s-obs", version: 4, pod: "pod-old", message: "old"))
            record = try #require(try await store.submission(id: "s-obs"))
            #expect(record.applicationErrorMessage == "boom")
            #expect(record.driverPodName == "pod-a")
            // A newer one without a pod name (the operator cleared driverInfo) keeps the known pod.
            try await store.recordObservation(Self.observed("s-obs", version: 9, pod: nil, message: nil))
            record = try #require(try await store.submission(id: "s-obs"))
            #expect(record.observedVersion == 9)
            #expect(record.applicationErrorMessage == nil)
            #expect(record.driverPodName == "pod-a")
            // Without adoption, an unknown id gets no row.
            try await store.recordObservation(Self.observed("s-unknown", version: 1))
            #expect(try await store.submission(id: "s-unknown") == nil)
            try await store.recordNote(submissionId: "s-obs", note: "(stopped)")
            #expect(try await store.submission(id: "s-obs")?.note == "(stopped)")
            try await store.recordNote(submissionId: "s-unknown", note: "(stopped)")
            #expect(try await store.submission(id: "s-unknown") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func adoptionCreatesTheRowOrFillsOnlyWhatBPGLeftEmpty(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let created = Date(timeIntervalSince1970: 1_760_000_000)
            var missing = Self.observed("bpg-missing", version: 3)
            missing.adoption = .init(user: "bob", queue: "poc", clusterId: "spark-a", namespace: "spark-ns", createdTime: created)
            try await store.recordObservation(missing)
            let adopted = try #require(try await store.submission(id: "bpg-missing"))
            #expect(adopted.user == "bob")
            #expect(adopted.queue == "poc")
            #expect(adopted.resolvedQueue == "poc")
            #expect(adopted.clusterId == "spark-a")
            #expect(adopted.namespace == "spark-ns")
            #expect(adopted.createdTime == created)
            #expect(adopted.statusVersion == 0)
            #expect(adopted.executionAttempts == 2)
            // Status writes now reach the row.
            #expect(try await store.updateStatus(submissionId: "bpg-missing", status: "RUNNING", observedVersion: 3, at: Date()))

            // A row BPG wrote keeps its owner; the gateway's columns are filled.
            _ = try await store.insertSubmission(
                NewSubmission(submissionId: "bpg-row", user: "carol", sparkVersion: "3.5", queue: "poc", requestBody: "{}"))
            var existing = Self.observed("bpg-row", version: 4)
            existing.adoption = .init(user: "mallory", queue: "other", clusterId: "spark-b", namespace: "ns-b", createdTime: created)
            try await store.recordObservation(existing)
            let filled = try #require(try await store.submission(id: "bpg-row"))
            #expect(filled.user == "carol")
            #expect(filled.queue == "poc")
            #expect(filled.resolvedQueue == "other")
            #expect(filled.clusterId == "spark-b")
            #expect(filled.namespace == "ns-b")
            #expect(filled.observedVersion == 4)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func operatorSubmissionFailureMovesOnWhileTheGatewaysStaysFrozen(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // The operator's SUBMISSION_FAILED (observed, version 2) is followed by its FAILED.
            _ = try await store.insertSubmission(submission("s-op"))
            #expect(try await store.updateStatus(submissionId: "s-op", status: "SUBMISSION_FAILED", observedVersion: 2, at: Date()))
            let end = Date(timeIntervalSince1970: 1_760_000_500)
            #expect(
                try await store.markFinished(submissionId: "s-op", status: "FAILED", finishedTime: end, observedVersion: 3, rates: nil))
            let record = try #require(try await store.submission(id: "s-op"))
            #expect(record.status == "FAILED")
            #expect(record.finishedTime == end)
            // The gateway's own (a create that failed, version 0) is final.
            _ = try await store.insertSubmission(submission("s-gw"))
            #expect(try await store.markSubmissionFailed(submissionId: "s-gw", error: "create failed", at: Date()))
            #expect(!(try await store.updateStatus(submissionId: "s-gw", status: "RUNNING", observedVersion: 5, at: Date())))
            #expect(
                !(try await store.markFinished(submissionId: "s-gw", status: "FAILED", finishedTime: end, observedVersion: 6, rates: nil)))
            #expect(try await store.submission(id: "s-gw")?.status == "SUBMISSION_FAILED")
        }
    }
}

extension ObservationStoreTests {
    /// BPG still reads and writes a table that has the gateway's columns: its submit, status and
    /// finish statements run as it sends them, and the gateway reads what they wrote.
    @Test func bpgStatementsStillWorkOnTheMigratedTable() async throws {
        let settings = try TestEnvironment.mysqlSettings()
        let database = settings.database
        try await withRawMySQL(settings, selectDatabase: false) { connection throws(SQLError) in
            try connection.executeOnce("CREATE DATABASE `\(database)`")
            try connection.executeOnce("USE `\(database)`")
            for statement in BPGSchema.mysqlDDL { try connection.executeOnce(statement) }
        }
        try await withStore(for: settings) { store in
            _ = try await store.insertSubmission(submission("gw-1"))
            try await store.recordObservation(Self.observed("gw-1", version: 3))
        }
        try await withRawMySQL(settings) { connection throws(SQLError) in
            let versions = try connection.query("SELECT MAX(version) FROM bpg_schema_migrations", [])
            #expect(versions.first?.int(0) == SchemaMigrations.mysql.map(\.version).max())
            try connection.execute(
                """
                INSERT INTO application_submission (submission_id, `user`, spark_version, request_body, queue) \
                VALUES (?,?,?,?,?) ON DUPLICATE KEY UPDATE `user`=?, spark_version=?, request_body=?, queue=?
                """,
                [.text("bpg-9"), .text("dave"), .text("3.5"), .text("{}"), .text("poc"),
                 .text("dave"), .text("3.5"), .text("{}"), .text("poc")])
            try connection.execute(
                "UPDATE application_submission SET status=? WHERE submission_id=? AND finished_time IS NULL",
                [.text("RUNNING"), .text("bpg-9")])
            // BPG's report query over the row the gateway wrote.
            let rows = try connection.query(
                "SELECT submission_id, status FROM application_submission WHERE submission_id IN (?, ?) ORDER BY submission_id",
                [.text("bpg-9"), .text("gw-1")])
            #expect(rows.map { $0.string(1) } == ["RUNNING", "ACCEPTED"])
        }
        try await withStore(for: settings) { store in
            let row = try #require(try await store.submission(id: "bpg-9"))
            #expect(row.user == "dave")
            #expect(row.status == "RUNNING")
            #expect(row.observedVersion == 0)
            #expect(try await store.submission(id: "gw-1")?.executionAttempts == 2)
        }
    }
}
