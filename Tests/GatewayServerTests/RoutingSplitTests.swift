import Foundation
import GatewayCore
import Persistence
import Testing

@testable import Gateway

/// Weighted routing as a user sees it (docs/bpg-compatibility.md, "Cluster selection"): the split over
/// many submissions, and weight 0 as "drain".
@Suite struct RoutingSplitTests {
    /// 2,000 submissions at weights 50/50 (in memory: the store is not the subject, and SQLite's fsync
    /// per commit made up most of the time): cluster A's share is Binomial(2000, 0.5), σ ≈ 22.4, so
    /// 1000 ± 100 (4.5σ) fails by chance about once in 150,000 runs.
    @Test func fiftyFiftySplitOverTwoThousandSubmissions() async throws {
        let total = 2000
        let workers = 6
        try await withGateway(store: .memory, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let ids = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        var ids: [String] = []
                        for _ in stride(from: worker, to: total, by: workers) {
                            ids.append(try await gateway.submit(user: "router\(worker)"))
                        }
                        return ids
                    }
                }
                var all: [String] = []
                for try await batch in group { all += batch }
                return all
            }
            #expect(ids.count == total)
            #expect(Set(ids).count == total)
            let onA = ids.filter { $0.hasPrefix("spark-cluster-a-") }.count
            let onB = ids.filter { $0.hasPrefix("spark-cluster-b-") }.count
            #expect(onA + onB == total)
            #expect((900...1100).contains(onA), "spark-cluster-a got \(onA) of \(total)")
            // The clusters hold what the ids say.
            #expect(try gateway.applicationCount(on: "spark-cluster-a") == onA)
            #expect(try gateway.applicationCount(on: "spark-cluster-b") == onB)
        }
    }

    /// Weight 0 drains a cluster: unpinned submissions never go there. A `clusterId` pin ignores the
    /// weight, as in BPG (`chooseSparkCluster` checks only id and version), and the drained cluster's
    /// submissions stay queryable.
    @Test func weightZeroGetsNothingButStaysQueryable() async throws {
        try await withGateway(
            store: .memory,
            timings: .uniform(.milliseconds(50)),
            configure: { configuration in
                if let b = configuration.sparkClusters.firstIndex(where: { $0.id == "spark-cluster-b" }) {
                    configuration.sparkClusters[b].weight = 0
                }
            }
        ) { (gateway: GatewayHarness) async throws in
            for _ in 0..<60 {
                #expect(try await gateway.submit().hasPrefix("spark-cluster-a-"))
            }
            #expect(try gateway.applicationCount(on: "spark-cluster-b") == 0)

            let pinned = try await gateway.submit(ErrorTableTests.sparkPi { $0["clusterId"] = "spark-cluster-b" })
            #expect(pinned.hasPrefix("spark-cluster-b-"))
            try await gateway.waitForState(pinned, "COMPLETED")
            #expect(try await gateway.send("GET", "/spark/\(pinned)/spec").status == 200)
            #expect(try await gateway.send("GET", "/spark/\(pinned)/driver").status == 200)
            let mine = try await gateway.send("GET", "/spark/mySubmissions").decode(GetMySubmissionsResponse.self)
            #expect(mine.submissions.contains { $0.submissionId == pinned })
        }
    }

    /// With every cluster at weight 0 there is nowhere to send an unpinned submission.
    @Test func allClustersDrainedIsNotSupported() async throws {
        try await withGateway(
            store: .memory,
            timings: .uniform(.milliseconds(50)),
            configure: { configuration in
                for index in configuration.sparkClusters.indices { configuration.sparkClusters[index].weight = 0 }
            }
        ) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            try expectErrorBody(reply, status: 400, message: .exact("Spark version not supported: 3.5.0"))
        }
    }
}
