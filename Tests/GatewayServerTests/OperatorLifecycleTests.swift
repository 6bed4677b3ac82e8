import Foundation
import GatewayCore
import JSON
import KubeClient
import KubeSimulator
import Persistence
import Testing

@testable import Gateway

/// The gateway's monitor, status, listing and records through the operator's retry and suspend paths,
/// driven by the simulated operator (docs/monitor.md, "Reruns and suspension").
@Suite(.serialized)
struct OperatorLifecycleTests {
    /// A slow submission step (PENDING_RERUN lasts this long, long enough to read status in it), short
    /// runs, and a retry interval "second" of 100 ms.
    static let timings = SimulatedOperatorTimings(
        submission: .milliseconds(1500), start: .milliseconds(100), run: .milliseconds(300), retryIntervalUnit: .milliseconds(100))

    static func request(restartPolicy: String) -> String {
        DevEnvironment.sparkPiRequest.replacingOccurrences(
            of: #""arguments":["1000"],"#, with: #""arguments":["1000"],"restartPolicy":\#(restartPolicy),"#)
    }

    /// Makes every cluster end the submission's attempts this way (the id is known only after submit;
    /// the first attempt's outcome is read after the submission step).
    static func outcomes(_ harness: GatewayHarness, _ id: String, _ outcomes: [SimulatedOutcome]) {
        for cluster in DevEnvironment.clusterIds { harness.cluster(cluster).setOutcomes(outcomes, forApplicationNamed: id) }
    }

    static func status(_ harness: GatewayHarness, _ id: String) async throws -> [String: Any] {
        let reply = try await harness.send("GET", "/spark/\(id)/status")
        #expect(reply.status == 200, "\(reply.text)")
        return try reply.json()
    }

    static func listedState(_ harness: GatewayHarness, _ id: String) async throws -> String? {
        let mine = try await harness.send("GET", "/spark/mySubmissions").decode(GetMySubmissionsResponse.self)
        return mine.submissions.first { $0.submissionId == id }?.applicationState
    }

    /// The observed statuses appear in this order (a subsequence when a re-list skipped some).
    static func expectInOrder(_ observed: [String], _ expected: [String]) {
        var remaining = expected[...]
        for status in observed {
            guard let index = remaining.firstIndex(of: status) else {
                Issue.record("\(observed) is not in the order \(expected)")
                return
            }
            remaining = remaining[(index + 1)...]
        }
        #expect(observed.last == expected.last)
    }

    /// Sets `spec.suspend` on the application, as `kubectl patch` or a controller would.
    static func setSuspend(_ harness: GatewayHarness, _ id: String, _ suspend: Bool) async throws {
        let cluster = try harness.gateway.clusters.cluster(ofSubmission: id)
        for _ in 0..<5 {
            var object = try await cluster.kubernetes.get(JSONValue.self, .sparkApplications, namespace: cluster.namespace, name: id)
            object[path: ["spec", "suspend"]] = .bool(suspend)
            do {
                _ = try await cluster.kubernetes.update(object, in: .sparkApplications, namespace: cluster.namespace, name: id)
                return
            } catch where error.code == .conflict {
                continue  // the operator wrote status meanwhile
            }
        }
        throw HarnessError("could not set spec.suspend on \(id)")
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedAttemptIsRerunAndTheRecordFollowsEveryState(store: StoreKind) async throws {
        try await withGateway(store: store, timings: Self.timings, monitor: MonitorTests.fast) { harness in
            try await waitUntil { harness.gateway.monitors?.monitors.allSatisfy { $0.resyncCount >= 1 } == true }
            let id = try await harness.submit(
                Self.request(restartPolicy: #"{"type":"OnFailure","onFailureRetries":1,"onFailureRetryInterval":1}"#))
            Self.outcomes(harness, id, [.failed, .completed])
            let first = try await waitForRecord(harness, id) { $0.status == "RUNNING" }

            // Between attempts: not finished, the old attempt's details gone from status and /driver.
            try await harness.waitForState(id, "PENDING_RERUN")
            let between = try await Self.status(harness, id)
            #expect(between["sparkApplicationId"] == nil)
            #expect(between["terminationTime"] == nil)
            #expect(between["applicationErrorMessage"] == nil)
            #expect(between["executionAttempts"] as? Int == 1)
            #expect(try await harness.gateway.store.submission(id: id)?.finishedTime == nil)
            #expect(try await Self.listedState(harness, id) == "PENDING_RERUN")
            let driver = try await harness.send("GET", "/spark/\(id)/driver").json()
            #expect(driver["podName"] == nil)

            let record = try await waitForRecord(harness, id, timeout: .seconds(30)) { $0.finishedTime != nil }
            #expect(record.status == "COMPLETED")
            #expect(record.executionAttempts == 2)
            #expect(record.submissionAttempts == 2)
            #expect(record.appId != nil && record.appId != first.appId, "the second attempt's Spark application id")
            let done = try await Self.status(harness, id)
            #expect(done["applicationState"] as? String == "COMPLETED")
            #expect(done["executionAttempts"] as? Int == 2)
            #expect(done["sparkApplicationId"] as? String == record.appId)
            #expect(done["terminationTime"] != nil)
            #expect(try await Self.listedState(harness, id) == "COMPLETED")
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            Self.expectInOrder(
                observed,
                ["SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN", "SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
            #expect(observed.contains("PENDING_RERUN"))
        }
    }

    @Test func retriesUsedUpEndFailedWithTheOperatorsMessage() async throws {
        try await withGateway(timings: Self.timings, monitor: MonitorTests.fast) { harness in
            let id = try await harness.submit(
                Self.request(restartPolicy: #"{"type":"OnFailure","onFailureRetries":1,"onFailureRetryInterval":1}"#))
            Self.outcomes(harness, id, [.failed])
            let record = try await waitForRecord(harness, id, timeout: .seconds(30)) { $0.finishedTime != nil }
            #expect(record.status == "FAILED")
            #expect(record.executionAttempts == 2)
            let status = try await Self.status(harness, id)
            #expect(status["applicationState"] as? String == "FAILED")
            #expect(status["executionAttempts"] as? Int == 2)
            #expect((status["applicationErrorMessage"] as? String)?.contains("ExitCode: 1") == true)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            Self.expectInOrder(observed, ["SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN", "SUBMITTED", "RUNNING", "FAILING", "FAILED"])
        }
    }

    @Test func aRetriedSubmissionFailureIsNotFinal() async throws {
        try await withGateway(timings: Self.timings, monitor: MonitorTests.fast) { harness in
            let id = try await harness.submit(
                Self.request(restartPolicy: #"{"type":"OnFailure","onSubmissionFailureRetries":1,"onSubmissionFailureRetryInterval":1}"#))
            Self.outcomes(harness, id, [.submissionFailed, .completed])
            let record = try await waitForRecord(harness, id, timeout: .seconds(30)) { $0.finishedTime != nil }
            #expect(record.status == "COMPLETED")
            #expect(record.submissionAttempts == 2)
            #expect(record.executionAttempts == 1)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            Self.expectInOrder(observed, ["SUBMISSION_FAILED", "SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
            #expect(try await Self.status(harness, id)["applicationState"] as? String == "COMPLETED")
        }
    }

    @Test func suspendAndResumeAreFollowedAndNeitherIsTerminal() async throws {
        let timings = SimulatedOperatorTimings(
            submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60), retryIntervalUnit: .milliseconds(100))
        try await withGateway(timings: timings, monitor: MonitorTests.fast) { harness in
            let id = try await harness.submit()
            let running = try await waitForRecord(harness, id) { $0.status == "RUNNING" }
            let cluster = try #require(running.clusterId)
            try await Self.setSuspend(harness, id, true)
            try await harness.waitForState(id, "SUSPENDED")
            let suspended = try await Self.status(harness, id)
            #expect(suspended["sparkApplicationId"] == nil)
            #expect(try await harness.gateway.store.submission(id: id)?.finishedTime == nil)
            #expect(try await Self.listedState(harness, id) == "SUSPENDED")
            // Neither backlog nor running: a suspended application holds nothing on the cluster.
            let load = try #require(harness.gateway.monitors?.load()[cluster])
            #expect(load.pending == 0 && load.running == 0)

            try await Self.setSuspend(harness, id, false)
            let resumed = try await waitForRecord(harness, id) { $0.status == "RUNNING" && $0.executionAttempts == 2 }
            #expect(resumed.submissionAttempts == 2)
            #expect(resumed.finishedTime == nil)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            Self.expectInOrder(observed, ["SUBMITTED", "RUNNING", "SUSPENDING", "SUSPENDED", "RESUMING", "SUBMITTED", "RUNNING"])
            #expect(observed.contains("SUSPENDED"))
            #expect(try await Self.status(harness, id)["executionAttempts"] as? Int == 2)
        }
    }

    @Test func alwaysKeepsTheRecordOpenAcrossSuccessfulRuns() async throws {
        try await withGateway(timings: Self.timings, monitor: MonitorTests.fast) { harness in
            let id = try await harness.submit(Self.request(restartPolicy: #"{"type":"Always","onFailureRetryInterval":1}"#))
            // A success is followed by another run: the record never finishes.
            _ = try await waitForRecord(harness, id, timeout: .seconds(30)) { ($0.executionAttempts ?? 0) >= 2 }
            let record = try #require(try await harness.gateway.store.submission(id: id))
            #expect(record.finishedTime == nil)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            #expect(observed.contains("SUCCEEDING"))
            #expect(!observed.contains("COMPLETED"))
            // Deleting it ends the loop; the record says so.
            #expect(try await harness.send("DELETE", "/spark/\(id)").status == 200)
            let deleted = try await waitForRecord(harness, id) { $0.status == ApplicationMonitor.deletedState }
            #expect(deleted.finishedTime == nil)
        }
    }
}
