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
        let code: Int = reply.status
        #expect(code == 200, "\(reply.text)")
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
        for _ in 0..<5 where try await Self.trySetSuspend(cluster, id, suspend) { return }
        throw HarnessError("could not set spec.suspend on \(id)")
    }

    /// One read-modify-write; false on a conflict (the operator wrote status meanwhile).
    static func trySetSuspend(_ cluster: GatewayCluster, _ id: String, _ suspend: Bool) async throws -> Bool {
        let client: KubernetesClient = cluster.kubernetes
        let read: JSONValue = try await client.get(JSONValue.self, .sparkApplications, namespace: cluster.namespace, name: id)
        let changed: JSONValue = Self.withSuspend(read, suspend)
        let outcome: Result<JSONValue, KubeError> = await Self.put(client, changed, namespace: cluster.namespace, name: id)
        switch outcome {
        case .success: return true
        case .failure(let error): if error.code == .conflict { return false } else { throw error }
        }
    }

    static func withSuspend(_ object: JSONValue, _ suspend: Bool) -> JSONValue {
        var object = object
        object[path: ["spec", "suspend"]] = .bool(suspend)
        return object
    }

    static func put(_ client: KubernetesClient, _ object: JSONValue, namespace: String, name: String) async -> Result<JSONValue, KubeError> {
        do {
            return .success(try await client.update(object, in: .sparkApplications, namespace: namespace, name: name))
        } catch {
            return .failure(error)
        }
    }

    static func waitForAttempts(_ harness: GatewayHarness, _ id: String, _ attempts: Int) async throws {
        try await waitUntil(timeout: .seconds(10)) {
            let status = try await Self.status(harness, id)
            let shown: Int? = status["executionAttempts"] as? Int
            return shown == attempts
        }
    }

    // Checks in functions of their own: one long test body with many `#expect`s makes the compiler's
    // mandatory stack promotion pass take many minutes.

    /// PENDING_RERUN: not finished, the old attempt's details gone from status and /driver.
    static func checkBetweenAttempts(_ harness: GatewayHarness, _ id: String) async throws {
        let between = try await Self.status(harness, id)
        let betweenAppId: String? = between["sparkApplicationId"] as? String
        let betweenTermination: Int? = between["terminationTime"] as? Int
        let betweenError: String? = between["applicationErrorMessage"] as? String
        let betweenAttempts: Int? = between["executionAttempts"] as? Int
        #expect(betweenAppId == nil)
        #expect(betweenTermination == nil)
        #expect(betweenError == nil)
        #expect(betweenAttempts == 1)
        let betweenRecord: SubmissionRecord? = try await harness.gateway.store.submission(id: id)
        #expect(betweenRecord?.finishedTime == nil)
        let listedBetween: String? = try await Self.listedState(harness, id)
        #expect(listedBetween == "PENDING_RERUN")
        let driver = try await harness.send("GET", "/spark/\(id)/driver").json()
        let driverPod: String? = driver["podName"] as? String
        #expect(driverPod == nil)
    }

    static func checkRerunCompleted(_ harness: GatewayHarness, _ id: String, record: SubmissionRecord, firstAppId: String?) async throws {
        let lastAppId: String? = record.appId
        #expect(lastAppId != nil)
        #expect(lastAppId != firstAppId, "the second attempt's Spark application id")
        let done = try await Self.status(harness, id)
        let doneState: String? = done["applicationState"] as? String
        let doneAttempts: Int? = done["executionAttempts"] as? Int
        let doneAppId: String? = done["sparkApplicationId"] as? String
        let doneTermination: Int? = done["terminationTime"] as? Int
        #expect(doneState == "COMPLETED")
        #expect(doneAttempts == 2)
        #expect(doneAppId == lastAppId)
        #expect(doneTermination != nil)
        let listedDone: String? = try await Self.listedState(harness, id)
        #expect(listedDone == "COMPLETED")
    }

    /// SUSPENDED: not finished, no Spark application id, neither backlog nor running.
    static func checkSuspended(_ harness: GatewayHarness, _ id: String, cluster: String) async throws {
        let suspended = try await Self.status(harness, id)
        let suspendedAppId: String? = suspended["sparkApplicationId"] as? String
        #expect(suspendedAppId == nil)
        let suspendedRecord: SubmissionRecord? = try await harness.gateway.store.submission(id: id)
        #expect(suspendedRecord?.finishedTime == nil)
        let listedSuspended: String? = try await Self.listedState(harness, id)
        #expect(listedSuspended == "SUSPENDED")
        // Neither backlog nor running: a suspended application holds nothing on the cluster.
        let loads: [String: ClusterLoad] = harness.gateway.monitors?.load() ?? [:]
        let load = try #require(loads[cluster])
        #expect(load.pending == 0)
        #expect(load.running == 0)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailedAttemptIsRerunAndTheRecordFollowsEveryState(store: StoreKind) async throws {
        try await withGateway(store: store, timings: Self.timings, monitor: MonitorTests.fast) { harness in
            let monitors = try #require(harness.gateway.monitors)
            try await waitUntil { monitors.monitors.allSatisfy { (monitor: ApplicationMonitor) -> Bool in monitor.resyncCount >= 1 } }
            let id = try await harness.submit(
                Self.request(restartPolicy: #"{"type":"OnFailure","onFailureRetries":1,"onFailureRetryInterval":1}"#))
            Self.outcomes(harness, id, [.failed, .completed])
            let first = try await waitForRecord(harness, id) { $0.status == "RUNNING" }

            // Between attempts: not finished, the old attempt's details gone from status and /driver.
            try await harness.waitForState(id, "PENDING_RERUN")
            try await Self.checkBetweenAttempts(harness, id)

            let record = try await waitForRecord(harness, id, timeout: .seconds(30)) { $0.finishedTime != nil }
            #expect(record.status == "COMPLETED")
            #expect(record.executionAttempts == 2)
            #expect(record.submissionAttempts == 2)
            try await Self.checkRerunCompleted(harness, id, record: record, firstAppId: first.appId)
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
            let state: String? = status["applicationState"] as? String
            let attempts: Int? = status["executionAttempts"] as? Int
            let message: String = status["applicationErrorMessage"] as? String ?? ""
            #expect(state == "FAILED")
            #expect(attempts == 2)
            #expect(message.contains("ExitCode: 1"))
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
            let final = try await Self.status(harness, id)
            let finalState: String? = final["applicationState"] as? String
            #expect(finalState == "COMPLETED")
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
            try await Self.checkSuspended(harness, id, cluster: cluster)

            try await Self.setSuspend(harness, id, false)
            let resumed = try await waitForRecord(harness, id) { $0.status == "RUNNING" && $0.executionAttempts == 2 }
            #expect(resumed.submissionAttempts == 2)
            #expect(resumed.finishedTime == nil)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            Self.expectInOrder(observed, ["SUBMITTED", "RUNNING", "SUSPENDING", "SUSPENDED", "RESUMING", "SUBMITTED", "RUNNING"])
            #expect(observed.contains("SUSPENDED"))
            // Status from the record is cached for up to half a second: it shows the new attempt soon after.
            try await Self.waitForAttempts(harness, id, 2)
        }
    }

    @Test func alwaysKeepsTheRecordOpenAcrossSuccessfulRuns() async throws {
        try await withGateway(timings: Self.timings, monitor: MonitorTests.fast) { harness in
            let id = try await harness.submit(Self.request(restartPolicy: #"{"type":"Always","onFailureRetryInterval":1}"#))
            // A success is followed by another run: the record never finishes.
            _ = try await waitForRecord(harness, id, timeout: .seconds(30)) { ($0.executionAttempts ?? 0) >= 2 }
            let open: SubmissionRecord? = try await harness.gateway.store.submission(id: id)
            #expect(open != nil)
            #expect(open?.finishedTime == nil)
            let observed = try await harness.gateway.store.statusHistory(submissionId: id).filter { $0.observedVersion > 0 }.map(\.status)
            #expect(observed.contains("SUCCEEDING"))
            #expect(!observed.contains("COMPLETED"))
            // Deleting it ends the loop; the record says so.
            let deletion = try await harness.send("DELETE", "/spark/\(id)")
            #expect(deletion.status == 200)
            let deleted = try await waitForRecord(harness, id) { $0.status == ApplicationMonitor.deletedState }
            #expect(deleted.finishedTime == nil)
        }
    }
}
