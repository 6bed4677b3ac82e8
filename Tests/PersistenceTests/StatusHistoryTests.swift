import Foundation
import TestSupport
import Testing

@testable import Persistence

/// The status history the status stream (`GET <root>/spark/{id}/events`) is made of: one row per
/// change, with the message that explains it, and a true first entry for rows BPG wrote.
@Suite struct StatusHistoryTests {
    @Test(arguments: StoreKind.allCases)
    func gatewayChangesCarryTheirReason(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("h-failed"))
            #expect(try await store.markSubmissionFailed(submissionId: "h-failed", error: "quota exceeded on spark-a", at: Date()))
            let failed = try await store.statusHistory(submissionId: "h-failed")
            #expect(failed.map(\.status) == [SubmissionState.accepted, SubmissionState.submissionFailed])
            #expect(failed.map(\.message) == [nil, "quota exceeded on spark-a"])

            _ = try await store.insertSubmission(submission("h-fenced"))
            #expect(try await store.markOutcomeUnknown(submissionId: "h-fenced", error: "timed out", at: Date()))
            #expect(try await store.fence(submissionId: "h-fenced", reason: "ran on spark-b instead", at: Date()))
            let fenced = try await store.statusHistory(submissionId: "h-fenced")
            #expect(fenced.map(\.message) == [nil, "timed out", "ran on spark-b instead"])
        }
    }

    /// The monitor writes the observation (with the operator's error) before the status; the change
    /// carries that error, and a FAILED also the gateway's note (why it stopped the application).
    @Test(arguments: StoreKind.allCases)
    func observedChangesCarryTheOperatorsErrorAndTheNote(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("h-obs"))
            #expect(try await store.markCreated(submissionId: "h-obs", at: Date()))
            #expect(try await store.updateStatus(submissionId: "h-obs", status: "RUNNING", observedVersion: 2, at: Date()))
            // Same status again (a newer version): no new history row.
            #expect(try await store.updateStatus(submissionId: "h-obs", status: "RUNNING", observedVersion: 3, at: Date()))
            try await store.recordNote(submissionId: "h-obs", note: "(killed by the gateway: running too long)")
            try await store.recordObservation(
                ObservedApplication(submissionId: "h-obs", version: 4, errorMessage: "driver pod not found"))
            #expect(
                try await store.markFinished(
                    submissionId: "h-obs", status: "FAILED", finishedTime: Date(), observedVersion: 4, rates: nil))
            let history = try await store.statusHistory(submissionId: "h-obs")
            #expect(history.map(\.status) == ["ACCEPTED", "CREATED", "RUNNING", "FAILED"])
            #expect(history.map(\.message) == [nil, nil, nil, "driver pod not found (killed by the gateway: running too long)"])
        }
    }
}

extension StatusHistoryTests {
    /// A row BPG wrote has a status and no history; the stream shows that status as the first
    /// transition, so the first change the gateway records writes it first and the numbering holds.
    @Test func bpgRowKeepsItsStateAsTheFirstEntry() async throws {
        let settings = try TestEnvironment.mysqlSettings()
        let database = settings.database
        try await withRawMySQL(settings, selectDatabase: false) { connection throws(SQLError) in
            try connection.executeOnce("CREATE DATABASE `\(database)`")
            try connection.executeOnce("USE `\(database)`")
            for statement in BPGSchema.mysqlDDL { try connection.executeOnce(statement) }
            try connection.execute(
                "INSERT INTO application_submission (submission_id, `user`, spark_version, request_body, queue, status) VALUES (?,?,?,?,?,?)",
                [.text("bpg-h"), .text("carol"), .text("3.5"), .text("{}"), .text("poc"), .text("RUNNING")])
        }
        try await withStore(for: settings) { (store: MySQLSubmissionStore) async throws in
            #expect(try await store.statusHistory(submissionId: "bpg-h").isEmpty)
            #expect(try await store.updateStatus(submissionId: "bpg-h", status: "COMPLETED", observedVersion: 7, at: Date()))
            #expect(try await store.statusHistory(submissionId: "bpg-h").map(\.status) == ["RUNNING", "COMPLETED"])
        }
    }
}
