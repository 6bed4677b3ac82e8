import Foundation
import GatewayCore
import KubeSimulator
import Persistence
import Testing

@testable import Gateway

/// Livy's batch API over the gateway's pipeline, against the simulated clusters.
@Suite struct LivyBatchTests {
    static let sparkPi = #"""
        {"file":"local:///usr/lib/spark/examples/jars/spark-examples.jar","className":"org.apache.spark.examples.SparkPi",
         "args":["100"],"name":"livy-pi","queue":"dev","driverMemory":"2g","driverCores":1,"executorMemory":"2g",
         "executorCores":1,"numExecutors":2}
        """#

    /// Submits through the Livy API and returns the batch JSON.
    static func submit(_ gateway: GatewayHarness, _ body: String = sparkPi, user: String = "alice", headers: [String: String] = [:])
        async throws -> [String: Any]
    {
        let reply = try await gateway.post("/batches", json: body, user: user, headers: headers)
        guard reply.status == 201 else { throw HarnessError("POST /batches answered \(reply.status): \(reply.text)") }
        return try reply.json()
    }

    static func waitForLivyState(
        _ gateway: GatewayHarness, _ id: Int, _ wanted: String, user: String = "alice", timeout: Duration = .seconds(20)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let reply = try await gateway.send("GET", "/batches/\(id)/state", user: user)
            last = reply.text
            if reply.status == 200, try reply.json()["state"] as? String == wanted { return }
            try await Task.sleep(for: .milliseconds(150))
        }
        throw HarnessError("batch \(id) did not reach \(wanted) within \(timeout); last: \(last)")
    }

    /// Live: `driverLogUrl` is an absolute URL on the listening port.
    @Test func batchRunsToSuccessWithAppInfoLogAndListing() async throws {
        try await withGateway(transport: .live) { gateway in
            let created = try await Self.submit(gateway)
            let id = try #require(created["id"] as? Int)
            // Usually `starting`; a loaded machine may answer after the short simulated run.
            #expect(["starting", "running", "success"].contains(created["state"] as? String ?? ""), "\(created)")
            #expect(created["name"] as? String == "livy-pi")
            #expect(created["owner"] as? String == "alice")
            #expect((created["log"] as? [Any])?.isEmpty == true)
            let createdInfo = try #require(created["appInfo"] as? [String: Any])
            let submissionId = try #require(createdInfo["submissionId"] as? String)
            #expect(createdInfo.keys.contains("driverLogUrl") && createdInfo.keys.contains("sparkUiUrl"))

            // The gateway's own API sees the same submission, in the requested queue.
            let status = try await gateway.send("GET", "/spark/\(submissionId)/status")
            #expect(status.status == 200)

            try await Self.waitForLivyState(gateway, id, "success")
            let batch = try await gateway.send("GET", "/batches/\(id)").json()
            #expect(batch["state"] as? String == "success")
            let appId = try #require(batch["appId"] as? String)
            #expect(appId.hasPrefix("spark-"))
            let info = try #require(batch["appInfo"] as? [String: Any])
            let driverLog = try #require(info["driverLogUrl"] as? String)
            #expect(driverLog.hasPrefix("http://127.0.0.1:") && driverLog.hasSuffix("/skatev2/log?subId=\(submissionId)"))

            let log = try await gateway.send("GET", "/batches/\(id)/log").json()
            let lines = try #require(log["log"] as? [String])
            #expect(log["id"] as? Int == id)
            #expect(log["total"] as? Int == lines.count)
            #expect(lines.contains { $0.contains("Pi is roughly") }, "\(lines)")
            let firstTwo = try await gateway.send("GET", "/batches/\(id)/log?from=0&size=2").json()
            #expect(firstTwo["from"] as? Int == 0)
            #expect((firstTwo["log"] as? [String]) == Array(lines.prefix(2)))

            let second = try await Self.submit(gateway)
            let list = try await gateway.send("GET", "/batches").json()
            #expect(list["from"] as? Int == 0)
            #expect(list["total"] as? Int == 2)
            let sessions = try #require(list["sessions"] as? [[String: Any]])
            #expect(sessions.compactMap { $0["id"] as? Int } == [id, try #require(second["id"] as? Int)])
            let paged = try await gateway.send("GET", "/batches?from=1&size=1").json()
            #expect((paged["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [second["id"] as? Int])
        }
    }

    @Test func failingJobEndsDeadAndDeleteKills() async throws {
        // The simulated operator picks a run's outcome after `submission + start`: 8 s leave room to
        // name the doomed application even when the answer to the submit is slow (a full parallel run
        // on two cores once took more than 3 s). A run long enough for the poller (and the status
        // cache) to see `running` before the delete.
        let timings = SimulatedOperatorTimings(submission: .seconds(8), start: .milliseconds(300), run: .seconds(3))
        try await withGateway(timings: timings) { gateway in
            let doomed = try await Self.submit(gateway)
            let doomedId = try #require(doomed["id"] as? Int)
            let submissionId = try #require((doomed["appInfo"] as? [String: Any])?["submissionId"] as? String)
            for cluster in DevEnvironment.clusterIds { gateway.cluster(cluster).setOutcome(.failed, forApplicationNamed: submissionId) }
            try await Self.waitForLivyState(gateway, doomedId, "dead")

            let victim = try await Self.submit(gateway)
            let victimId = try #require(victim["id"] as? Int)
            try await Self.waitForLivyState(gateway, victimId, "running")
            let deleted = try await gateway.send("DELETE", "/batches/\(victimId)")
            #expect(deleted.status == 200)
            #expect(try deleted.json()["msg"] as? String == "deleted")
            try await Self.waitForLivyState(gateway, victimId, "killed")
        }
    }

    @Test(arguments: [
        (#"{"className":"x"}"#, "\"file\""),
        (#"{"file":"a.py","numExecutors":"two"}"#, "\"numExecutors\" must be an integer"),
        (#"{"file":"a.py","kind":"pyspark"}"#, "Unrecognized field \"kind\""),
        (#"{"file":"a.py","numExecutors":0}"#, "numExecutors must be at least 1"),
        (#"{"file":"a.py","queue":"nope"}"#, "queue"),
        ("not json", "Invalid JSON"),
    ])
    func badInputIsALivyStyle400NamingTheField(body: String, expected: String) async throws {
        try await withGateway { gateway in
            let reply = try await gateway.post("/batches", json: body)
            #expect(reply.status == 400)
            let message = try #require(try reply.json()["msg"] as? String, "\(reply.text)")
            #expect(message.contains(expected), "\(message)")
            #expect(try await gateway.send("GET", "/batches").json()["total"] as? Int == 0, "nothing was recorded")
        }
    }

    /// Core maps record states it cannot import (Persistence, the monitor): they must stay the same strings.
    @Test func recordStatesTheStateMappingNamesAreTheStoresAndMonitors() {
        #expect(LivyBatchState.deletedRecordState == ApplicationMonitor.deletedState)
        #expect(LivyBatchState.from(ApplicationMonitor.deletedState) == LivyBatchState.killed)
        #expect(LivyBatchState.from(SubmissionState.fenced) == LivyBatchState.dead)
        #expect(LivyBatchState.from(SubmissionState.bpgFailedSubmission) == LivyBatchState.dead)
        #expect(LivyBatchState.from(SubmissionState.submissionFailed) == LivyBatchState.dead)
        for state in [SubmissionState.accepted, SubmissionState.created, SubmissionState.outcomeUnknown] {
            #expect(LivyBatchState.from(state) == LivyBatchState.starting)
        }
    }

    /// Pollers get the recorded state, not an error, while the batch's cluster cannot answer (live:
    /// the clusters stop answering at the connection level).
    @Test func anUnreachableClusterIsAnsweredFromTheRecord() async throws {
        try await withGateway(transport: .live, timings: .uniform(.seconds(5)), monitor: { $0.enabled = false }) { gateway in
            let id = try #require(try await Self.submit(gateway)["id"] as? Int)
            for cluster in DevEnvironment.clusterIds { await gateway.cluster(cluster).stopAnswering() }
            try await Task.sleep(for: .milliseconds(1100))  // past the 990 ms status cache
            let state = try await gateway.send("GET", "/batches/\(id)/state")
            #expect(state.status == 200, "\(state.text)")
            #expect(try state.json()["state"] as? String == "starting", "the record says CREATED")
            let batch = try await gateway.send("GET", "/batches/\(id)")
            #expect(batch.status == 200, "\(batch.text)")
            // The gateway's own status route still reports the cluster's failure.
            let submissionId = try #require((try batch.json()["appInfo"] as? [String: Any])?["submissionId"] as? String)
            #expect(try await gateway.send("GET", "/spark/\(submissionId)/status").status == 503)
            for cluster in DevEnvironment.clusterIds { try gateway.cluster(cluster).resumeAnswering() }
        }
    }

    @Test func unknownAndMalformedBatchIds() async throws {
        try await withGateway { gateway in
            let missing = try await gateway.send("GET", "/batches/42")
            #expect(missing.status == 404)
            #expect(try missing.json()["msg"] as? String == "Session '42' not found.")
            let malformed = try await gateway.send("GET", "/batches/abc/state")
            #expect(malformed.status == 400)
            #expect((try malformed.json()["msg"] as? String)?.contains("batchId") == true)
            let badPage = try await gateway.send("GET", "/batches?from=-1")
            #expect(badPage.status == 400)
            #expect((try badPage.json()["msg"] as? String)?.contains("from") == true)
            let anonymous = try await gateway.send("GET", "/batches", user: nil)
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"] != nil)
            #expect(try anonymous.json()["msg"] != nil)
        }
    }

    @Test func proxyUserFollowsBPGsDagUserRule() async throws {
        try await withGateway { gateway in
            let forbidden = try await gateway.post("/batches", json: #"{"file":"a.py","proxyUser":"bob"}"#, user: "alice")
            #expect(forbidden.status == 403)
            #expect((try forbidden.json()["msg"] as? String)?.contains("proxyUser") == true)

            let own = try await Self.submit(gateway, #"{"file":"s3a://b/a.py","proxyUser":"alice"}"#, user: "alice")
            #expect(own["proxyUser"] as? String == "alice")

            let airflow = try await Self.submit(
                gateway, #"{"file":"s3a://b/a.py","proxyUser":"bob"}"#, user: SubmissionPlanner.airflowSystemAccounts.first!)
            #expect(airflow["proxyUser"] as? String == "bob")
            #expect(airflow["owner"] as? String == "bob")
        }
    }

    @Test func ownershipLimitsReadsAndListings() async throws {
        try await withGateway(configure: {
            $0.gateway.auth.enforceOwnership = true
            $0.gateway.auth.adminUsers = ["root"]
        }) { gateway in
            let alices = try #require(try await Self.submit(gateway, user: "alice")["id"] as? Int)
            _ = try await Self.submit(gateway, user: "bob")
            #expect(try await gateway.send("GET", "/batches/\(alices)", user: "bob").status == 403)
            #expect(try await gateway.send("DELETE", "/batches/\(alices)", user: "bob").status == 403)
            #expect(try await gateway.send("GET", "/batches", user: "bob").json()["total"] as? Int == 1)
            #expect(try await gateway.send("GET", "/batches", user: "root").json()["total"] as? Int == 2)
        }
    }

    @Test func idempotencyKeyReturnsTheSameBatch() async throws {
        try await withGateway { gateway in
            let first = try await Self.submit(gateway, headers: ["Idempotency-Key": "livy-retry-1"])
            let again = try await Self.submit(gateway, headers: ["Idempotency-Key": "livy-retry-1"])
            #expect(first["id"] as? Int == again["id"] as? Int)
            #expect(try await gateway.send("GET", "/batches").json()["total"] as? Int == 1)
        }
    }

    @Test func defaultQueueAndDisabling() async throws {
        try await withGateway(configure: { $0.gateway.livy.defaultQueue = "dev" }) { gateway in
            let batch = try await Self.submit(gateway, #"{"file":"s3a://b/a.py"}"#)
            let submissionId = try #require((batch["appInfo"] as? [String: Any])?["submissionId"] as? String)
            let mine = try await gateway.send("GET", "/spark/mySubmissions").json()
            let summary = try #require((mine["submissions"] as? [[String: Any]])?.first { $0["submissionId"] as? String == submissionId })
            #expect(summary["queue"] as? String == "root.dev", "\(summary)")
        }
        try await withGateway(configure: { $0.gateway.livy.enabled = false }) { gateway in
            let reply = try await gateway.send("GET", "/batches")
            #expect(reply.status == 404)
        }
    }
}
