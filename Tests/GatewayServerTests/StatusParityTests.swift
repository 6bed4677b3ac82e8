import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// Status served from the monitor-fed records equals status computed from the live object, field by
/// field, for every kind of ending a client sees; `/driver` too where it applies; and the time limit
/// stops an application as BPG does (its driver pod deleted; the application ends `FAILED` and stays).
@Suite(.serialized)
struct StatusParityTests {
    static let user = AuthenticatedUser(name: "alice")

    /// Both answers the gateway can give for one submission, once both report `state`, taken at one
    /// `now` so the running duration compares too: from the record (monitor on) and from the object
    /// (the same query service without monitors).
    static func bothAnswers(_ harness: GatewayHarness, _ id: String, state: String) async throws
        -> (record: GetSubmissionStatusResponse, live: GetSubmissionStatusResponse)
    {
        let gateway = harness.gateway
        let cluster = try gateway.clusters.cluster(ofSubmission: id)
        var found: (GetSubmissionStatusResponse, GetSubmissionStatusResponse)?
        var last = ""
        do {
            try await waitUntil(timeout: .seconds(20)) {
                // Fresh services each time: their status caches would hold an answer for up to a second.
                var monitored = ApplicationQueries(
                    configuration: harness.dev.configuration.configuration, clusters: gateway.clusters, store: gateway.store,
                    logger: .disabled)
                monitored.monitors = gateway.monitors
                let live = ApplicationQueries(
                    configuration: harness.dev.configuration.configuration, clusters: gateway.clusters, store: gateway.store,
                    logger: .disabled)
                guard let fromRecord = await monitored.monitoredStatus(id, cluster: cluster),
                    let fromObject = try? await live.status(of: id, for: Self.user)
                else { return false }
                last = "record: \(fromRecord.applicationState), object: \(fromObject.applicationState)"
                guard fromRecord.applicationState == state, fromObject.applicationState == state else { return false }
                let now = Timestamp.nowMillis
                found = (fromRecord.refreshed(now: now), fromObject.refreshed(now: now))
                return true
            }
        } catch {
            throw HarnessError("\(id) never reported \(state) from both record and object; last: \(last)")
        }
        let (record, live) = try #require(found)
        return (record, live)
    }

    /// `/driver` from the record and from the cluster.
    static func bothDrivers(_ harness: GatewayHarness, _ id: String) async throws
        -> (record: GetDriverInfoResponse?, live: GetDriverInfoResponse)
    {
        let gateway = harness.gateway
        let cluster = try gateway.clusters.cluster(ofSubmission: id)
        var monitored = ApplicationQueries(
            configuration: harness.dev.configuration.configuration, clusters: gateway.clusters, store: gateway.store,
            logger: .disabled)
        monitored.monitors = gateway.monitors
        let live = ApplicationQueries(
            configuration: harness.dev.configuration.configuration, clusters: gateway.clusters, store: gateway.store,
            logger: .disabled)
        return (
            try await monitored.monitoredDriver(id, cluster: cluster, user: Self.user), try await live.driver(of: id, for: Self.user)
        )
    }

    static func withSparkUI(_ configuration: inout GatewayConfiguration) {
        for index in configuration.sparkClusters.indices {
            configuration.sparkClusters[index].sparkUIUrl = "https://spark-ui.example"
        }
    }

    /// A SparkApplication as BPG creates it (BPG's labels, no managed-by label), with the simulator's
    /// outcome annotation.
    static func bpgApplication(
        _ id: String, namespace: String, user: String = "alice", maxRunningMillis: Int64 = 43_200_000,
        outcome: SimulatedOutcome = .completed
    ) -> Data {
        Data(
            """
            {"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication",
             "metadata":{"name":"\(id)","namespace":"\(namespace)",
               "labels":{"proxyUser":"\(user)","queue":"root.dev","applicationName":"SparkPi","maxRunningMillis":"\(maxRunningMillis)"},
               "annotations":{"\(SimulatedOutcome.annotation)":"\(outcome.rawValue)"}},
             "spec":{"type":"Scala","mode":"cluster","sparkVersion":"\(DevEnvironment.sparkVersion)","image":"spark:3.5.0",
               "mainClass":"org.apache.spark.examples.SparkPi","mainApplicationFile":"local:///opt/spark/examples/jars/spark-examples.jar",
               "arguments":["1000"],"sparkConf":{"spark.app.name":"SparkPi"},
               "driver":{"cores":1,"memory":"512m"},"executor":{"instances":1,"cores":1,"memory":"512m"}}}
            """.utf8)
    }

    static func newId(_ cluster: String) -> String {
        "\(cluster)-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    @Test(arguments: StoreKind.allCases)
    func finishedApplicationsReadTheSameFromRecordAndObject(store: StoreKind) async throws {
        try await withGateway(
            store: store, timings: SimulatedOperatorTimings(submission: .milliseconds(300), start: .milliseconds(300), run: .milliseconds(300)),
            configure: Self.withSparkUI, monitor: MonitorTests.fast
        ) { harness in
            // Completed, and failed with the operator's error message.
            let completed = try await harness.submit()
            let failed = try await harness.submit()
            let failedCluster = try harness.gateway.clusters.cluster(ofSubmission: failed)
            harness.cluster(failedCluster.id).setOutcome(.failed, forApplicationNamed: failed)
            // Submission failed: spark-submit fails, the operator reports SUBMISSION_FAILED then FAILED.
            // The outcome is chosen when the object appears, so this one is created as BPG would.
            let cluster = try #require(harness.gateway.clusters.cluster(id: "spark-cluster-a"))
            let submissionFailed = Self.newId(cluster.id)
            try await cluster.client.createApplication(
                json: Self.bpgApplication(submissionFailed, namespace: cluster.namespace, outcome: .submissionFailed),
                namespace: cluster.namespace)

            let done = try await Self.bothAnswers(harness, completed, state: "COMPLETED")
            #expect(done.record == done.live)
            #expect(done.record.executionAttempts == 1)
            #expect(done.record.terminationTime != nil)

            let broken = try await Self.bothAnswers(harness, failed, state: "FAILED")
            #expect(broken.record == broken.live)
            #expect(broken.record.applicationErrorMessage == "driver container failed with ExitCode: 1, Reason: Error")

            let refused = try await Self.bothAnswers(harness, submissionFailed, state: "FAILED")
            #expect(refused.record == refused.live)
            #expect(refused.record.applicationErrorMessage?.hasPrefix("failed to run spark-submit") == true)
            // The record followed the operator past SUBMISSION_FAILED (which a loaded machine's watch
            // may report only as the final state).
            let history = try await harness.gateway.store.statusHistory(submissionId: submissionFailed).map(\.status)
            #expect(history.last == "FAILED")
            #expect(Set(history).isSubset(of: ["SUBMISSION_FAILED", "FAILED"]), "\(history)")

            // /driver: the pod the operator reported and its start, from either side.
            let drivers = try await Self.bothDrivers(harness, completed)
            #expect(drivers.record == drivers.live)
            #expect(drivers.live.podName == "\(completed)-driver")
            #expect(drivers.live.startTime != nil)
            // No driver ever ran: both say {}.
            let none = try await Self.bothDrivers(harness, submissionFailed)
            #expect(none.record == none.live)
            #expect(none.live == GetDriverInfoResponse())

            // The API serves the record's answer.
            let reply = try await harness.send("GET", "/spark/\(failed)/status")
            #expect(reply.status == 200)
            let served = try reply.decode(GetSubmissionStatusResponse.self)
            #expect(served.refreshed(now: 0) == broken.record.refreshed(now: 0))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func runningAndKilledForRunningTooLongReadTheSameFromRecordAndObject(store: StoreKind) async throws {
        try await withGateway(
            store: store, timings: SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60)),
            configure: Self.withSparkUI, monitor: MonitorTests.fast
        ) { harness in
            let running = try await harness.submit()
            let limited = try await harness.submit(
                DevEnvironment.sparkPiRequest.replacingOccurrences(
                    of: #""arguments":["1000"],"#, with: #""arguments":["1000"],"sparkConf":{"bpg.maxRunningMillis":"1500"},"#))

            let now = try await Self.bothAnswers(harness, running, state: "RUNNING")
            #expect(now.record == now.live)
            #expect(now.record.sparkUIUrl?.hasPrefix("https://spark-ui.example/") == true)
            let drivers = try await Self.bothDrivers(harness, running)
            #expect(drivers.record == drivers.live)
            #expect(drivers.live.podName != nil)

            // Over its limit: the driver pod is deleted, the operator fails the application, which stays.
            let killed = try await Self.bothAnswers(harness, limited, state: "FAILED")
            #expect(killed.record == killed.live)
            let message = try #require(killed.record.applicationErrorMessage)
            #expect(message.hasPrefix("driver pod not found"))
            #expect(message.contains(ApplicationMonitor.runningTooLongNote(limit: 1500)))
            let cluster = try harness.gateway.clusters.cluster(ofSubmission: limited)
            #expect(harness.gateway.monitors?.monitor(cluster: cluster.id)?.deletedForRunningTooLong == 1)
            let reply = try await harness.send("GET", "/spark/\(limited)/status")
            #expect(reply.status == 200)
            #expect(try reply.decode(GetSubmissionStatusResponse.self).applicationErrorMessage == message)
            // The reason is in the listing too.
            let listing = try await harness.send("GET", "/spark/mySubmissions")
            let entries = try listing.decode(GetMySubmissionsResponse.self).submissions
            let entry = try #require(entries.first { $0.submissionId == limited })
            #expect(entry.applicationState == "FAILED")
            #expect(entry.applicationErrorMessage == message)
            // The application that runs within its limit is left alone.
            #expect(try await harness.gateway.store.submission(id: running)?.status == "RUNNING")
            #expect(try await harness.gateway.store.submission(id: running)?.note == nil)
        }
    }
}
