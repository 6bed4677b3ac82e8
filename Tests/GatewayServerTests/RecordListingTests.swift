import Foundation
import GatewayCore
import KubeClient
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// Listings and driver info served from the monitor-fed records: a gateway in process, simulated clusters,
/// a real store, the monitor on.
@Suite(.serialized)
struct RecordListingTests {
    /// The summary BPG builds from the object on the cluster, for comparison.
    static func clusterSummary(_ harness: GatewayHarness, _ id: String, clusterId: String) async throws -> SubmissionSummary {
        let cluster = try #require(harness.gateway.clusters.cluster(id: clusterId))
        let application = try await cluster.kubernetes.get(
            SparkApplication.self, .sparkApplications, namespace: cluster.namespace, name: id)
        return SubmissionSummary(
            application: application, sparkUIBaseURL: cluster.configuration.sparkUIUrl,
            sparkHistoryDNS: harness.dev.configuration.configuration.sparkHistoryDns, now: ApplicationQueries.nowMillis)
    }

    @Test(arguments: StoreKind.allCases)
    func listingsAndDriverComeFromRecordsWhileClustersAreSlow(store: StoreKind) async throws {
        try await withGateway(
            store: store, timings: .uniform(.milliseconds(150)),
            configure: { $0.gateway.auth.enforceOwnership = true }, monitor: MonitorTests.fast
        ) { harness in
            let monitors = try #require(harness.gateway.monitors)
            try await waitUntil { monitors.monitors.allSatisfy(\.isActive) }
            let alices = [try await harness.submit(), try await harness.submit()]
            let bobs = try await harness.submit(user: "bob")
            var records: [String: SubmissionRecord] = [:]
            var expected: [String: SubmissionSummary] = [:]
            for id in alices + [bobs] {
                let record = try await waitForRecord(harness, id) { $0.finishedTime != nil && $0.startTime != nil }
                records[id] = record
                expected[id] = try await Self.clusterSummary(harness, id, clusterId: record.clusterId ?? "")
            }

            // From now on, every cluster read takes 20 s: only the records can answer in time.
            for id in DevEnvironment.clusterIds { harness.cluster(id).setLatency(.seconds(20)) }
            defer { for id in DevEnvironment.clusterIds { harness.cluster(id).setLatency(.zero) } }
            let clock = ContinuousClock()

            let started = clock.now
            let mine = try await harness.send("GET", "/spark/mySubmissions").decode(GetMySubmissionsResponse.self)
            #expect(clock.now - started < .seconds(10))
            #expect(Set(mine.submissions.compactMap(\.submissionId)) == Set(alices), "alice's only")
            let created = mine.submissions.compactMap(\.creationTime)
            #expect(created.count == 2 && zip(created, created.dropFirst()).allSatisfy { $0 >= $1 }, "newest first")
            for summary in mine.submissions {
                let reference = try #require(expected[summary.submissionId ?? ""])
                #expect(summary.applicationState == "COMPLETED")
                Self.expectSameShape(summary, reference)
            }

            let adminStart = clock.now
            let admin = try await harness.send("GET", "/admin/submissions")
            #expect(clock.now - adminStart < .seconds(10))
            #expect(admin.status == 200)
            let listed = try admin.text.split(separator: "\n").map {
                try JSONDecoder().decode(SubmissionSummary.self, from: Data($0.utf8))
            }
            #expect(Set(listed.compactMap(\.submissionId)) == Set(alices + [bobs]))
            #expect(listed.first { $0.submissionId == bobs }?.user == "bob")

            let byName = try await harness.send("GET", "/admin/submissions?name=SparkPi")
            #expect(byName.text.split(separator: "\n").count == 3)
            let noName = try await harness.send("GET", "/admin/submissions?name=NoSuchApp")
            #expect(noName.status == 200 && noName.text.isEmpty)

            let id = alices[0]
            let driverStart = clock.now
            let driver = try await harness.send("GET", "/spark/\(id)/driver").json()
            #expect(clock.now - driverStart < .seconds(10))
            #expect(driver["podName"] as? String == "\(id)-driver")
            let startTime = try #require(records[id]?.startTime)
            #expect((driver["startTime"] as? Int).map(Int64.init) == Timestamp.epochMillis(startTime))
            // Ownership still holds on the record path.
            #expect(try await harness.send("GET", "/spark/\(id)/driver", user: "bob").status == 403)
        }
    }

    @Test func clusterListingWhenMonitorIsOff() async throws {
        try await withGateway(monitor: { $0.enabled = false }) { harness in
            let id = try await harness.submit()
            try await harness.waitForState(id, "COMPLETED")
            // The record says nothing, yet the listing shows the object: it came from the cluster.
            let mine = try await harness.send("GET", "/spark/mySubmissions").decode(GetMySubmissionsResponse.self)
            #expect(mine.submissions.map(\.applicationState) == ["COMPLETED"])
        }
    }

    @Test func recordsWithoutOperatorStatusShowUnknownAndFailedCreatesAreHidden() async throws {
        try await withGateway(monitor: MonitorTests.fast) { harness in
            let monitors = try #require(harness.gateway.monitors)
            try await waitUntil { monitors.monitors.allSatisfy(\.isActive) }
            let store = harness.gateway.store
            let pending = "spark-cluster-a-0123456789abcdef0123456789abcde0"
            let failed = "spark-cluster-a-0123456789abcdef0123456789abcde1"
            for id in [pending, failed] {
                _ = try await store.insertSubmission(
                    NewSubmission(
                        submissionId: id, user: "carol", appName: "SparkPi", queue: "dev", resolvedQueue: "dev",
                        clusterId: "spark-cluster-a", namespace: "spark-jobs",
                        requestBody: DevEnvironment.sparkPiRequest))
            }
            try await store.markCreated(submissionId: pending, at: Date())
            try await store.markSubmissionFailed(submissionId: failed, error: "boom", at: Date())
            let mine = try await harness.send("GET", "/spark/mySubmissions", user: "carol").decode(GetMySubmissionsResponse.self)
            #expect(mine.submissions.compactMap(\.submissionId) == [pending])
            let summary = try #require(mine.submissions.first)
            #expect(summary.applicationState == "UNKNOWN")
            #expect(summary.queue == "root.dev")
            #expect(summary.totalCores == 3 && summary.totalMemoryGB == 6)
            #expect(summary.applicationArguments == ["1000"])
            // Not started: the driver answer is empty, as BPG's for an application without driver info.
            #expect(try await harness.send("GET", "/spark/\(pending)/driver", user: "carol").text == "{}")
        }
    }

    /// Every field both sources define, compared.
    static func expectSameShape(_ record: SubmissionSummary, _ cluster: SubmissionSummary) {
        #expect(record.submissionId == cluster.submissionId)
        #expect(record.sparkApplicationId == cluster.sparkApplicationId)
        #expect(record.applicationState == cluster.applicationState)
        #expect(record.applicationErrorMessage == cluster.applicationErrorMessage)
        #expect(record.sparkUIUrl == cluster.sparkUIUrl)
        #expect(record.user == cluster.user)
        #expect(record.queue == cluster.queue)
        #expect(record.dagName == cluster.dagName)
        #expect(record.driverCores == cluster.driverCores)
        #expect(record.driverMemoryGB == cluster.driverMemoryGB)
        #expect(record.executorInstances == cluster.executorInstances)
        #expect(record.executorCores == cluster.executorCores)
        #expect(record.executorMemoryGB == cluster.executorMemoryGB)
        #expect(record.totalCores == cluster.totalCores)
        #expect(record.totalMemoryGB == cluster.totalMemoryGB)
        #expect(record.sparkVersion == cluster.sparkVersion)
        #expect(record.applicationName == cluster.applicationName)
        #expect(record.applicationArguments == cluster.applicationArguments)
        // Times: the record keeps whole seconds, the object its own timestamps (whole seconds too).
        // The record is written just before the create and the monitor records the end just after
        // it happened: a second apart at most on an idle machine, several on a loaded one.
        if let a = record.creationTime, let b = cluster.creationTime { #expect(abs(a - b) <= 10_000) }
        if let a = record.terminationTime, let b = cluster.terminationTime { #expect(abs(a - b) <= 10_000) }
    }
}
