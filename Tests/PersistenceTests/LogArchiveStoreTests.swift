import Foundation
import Testing

@testable import Persistence

/// The `log_archive` claims that make archiving exactly-once across replicas, against every store.
@Suite struct LogArchiveStoreTests {
    static let start = Date(timeIntervalSince1970: 1_760_000_000)

    static func task(_ submission: String, container: String? = nil, cluster: String = "spark-a", due: Date = start) -> LogArchiveTask {
        let containerId = container ?? "\(submission)-driver"
        return LogArchiveTask(
            containerId: containerId, submissionId: submission, clusterId: cluster, namespace: "spark-ns",
            podName: "\(submission)-driver", s3Key: "\(submission)/2025-10-09/08/\(containerId).log", date: "2025-10-09", hour: 8,
            nextAttempt: due)
    }

    @Test(arguments: StoreKind.allCases)
    func aTaskIsRecordedOnceAndClaimedByOneHolder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.enqueueLogArchive(Self.task("s-1")))
            #expect(try await store.enqueueLogArchive(Self.task("s-1")) == false, "a second sighting records nothing")
            _ = try await store.enqueueLogArchive(Self.task("s-2", cluster: "spark-b"))
            _ = try await store.enqueueLogArchive(Self.task("s-3", due: Self.start.addingTimeInterval(60)))

            let claimed = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "replica-1", now: Self.start, claimFor: .seconds(600), limit: 10)
            #expect(claimed.map(\.containerId) == ["s-1-driver"], "only due tasks of this cluster")
            #expect(claimed.first?.attempts == 1)
            #expect(claimed.first?.claimedBy == "replica-1")
            #expect(claimed.first?.claimExpires == Self.start.addingTimeInterval(600))
            let other = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "replica-2", now: Self.start.addingTimeInterval(1), claimFor: .seconds(600), limit: 10)
            #expect(other.isEmpty, "claimed by a live claim of another holder")
            // The same holder may take it again (a claim retried after a lost reply).
            let again = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "replica-1", now: Self.start.addingTimeInterval(1), claimFor: .seconds(600), limit: 10)
            #expect(again.map(\.containerId) == ["s-1-driver"])

            #expect(try await store.completeLogArchive(containerId: "s-1-driver", at: Self.start))
            #expect(try await store.completeLogArchive(containerId: "s-1-driver", at: Self.start) == false)
            #expect(try await store.logKeys(containerId: "s-1-driver") == ["s-1/2025-10-09/08/s-1-driver.log"])
            let stored = try await store.logArchives(submissionId: "s-1")
            #expect(stored.map(\.state) == [.archived])
            #expect(stored.first?.claimedBy == nil)
            let none = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "replica-2", now: Self.start.addingTimeInterval(3600), claimFor: .seconds(600), limit: 10)
            #expect(none.map(\.containerId) == ["s-3-driver"], "an archived task is never claimed again")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentClaimersNeverShareATask(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for index in 0..<12 { _ = try await store.enqueueLogArchive(Self.task("s-race-\(index)")) }
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for holder in 0..<4 {
                    group.addTask {
                        try await store.claimLogArchives(
                            clusterId: "spark-a", holder: "replica-\(holder)", now: Self.start, claimFor: .seconds(600), limit: 12
                        ).map(\.containerId)
                    }
                }
                var all: [String] = []
                for try await claimed in group { all += claimed }
                return all
            }
            #expect(claims.count == 12, "every task claimed once: \(claims.sorted())")
            #expect(Set(claims).count == 12)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aClaimThatExpiresPassesToAnotherHolderAndTheIndexRowIsAddedOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.enqueueLogArchive(Self.task("s-lease"))
            _ = try await store.claimLogArchives(clusterId: "spark-a", holder: "old", now: Self.start, claimFor: .seconds(60), limit: 1)
            // The old holder's monitor lost its lease mid-upload; after the claim lapses another takes over.
            let taken = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "new", now: Self.start.addingTimeInterval(61), claimFor: .seconds(60), limit: 1)
            #expect(taken.first?.attempts == 2)
            #expect(taken.first?.claimedBy == "new")
            // The old holder's setback no longer applies; its late completion is accepted once.
            #expect(try await store.deferLogArchive(
                containerId: "s-lease-driver", holder: "old", .retry(at: Self.start, error: "x"), at: Self.start) == false)
            #expect(try await store.completeLogArchive(containerId: "s-lease-driver", at: Self.start))
            #expect(try await store.completeLogArchive(containerId: "s-lease-driver", at: Self.start) == false)
            #expect(try await store.deferLogArchive(
                containerId: "s-lease-driver", holder: "new", .retry(at: Self.start, error: "x"), at: Self.start) == false)
            #expect(try await store.logKeys(containerId: "s-lease-driver").count == 1)
        }
    }

    /// BPG's `logindex.containerId` held 60 characters; a long cluster id makes longer container ids.
    @Test(arguments: StoreKind.allCases)
    func longContainerIdsAreIndexed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let id = "a-cluster-id-well-beyond-twenty-characters-" + String(repeating: "0", count: 32)
            let container = "\(id)-exec-12"
            #expect(container.count > 60)
            _ = try await store.enqueueLogArchive(Self.task(id, container: container))
            _ = try await store.claimLogArchives(clusterId: "spark-a", holder: "r", now: Self.start, claimFor: .seconds(60), limit: 1)
            #expect(try await store.completeLogArchive(containerId: container, at: Self.start))
            #expect(try await store.logKeys(containerId: container).count == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func setbacksScheduleRetriesOrEndTheTask(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for id in ["s-retry", "s-gone", "s-fail"] { _ = try await store.enqueueLogArchive(Self.task(id)) }
            let claimed = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "r", now: Self.start, claimFor: .seconds(600), limit: 10)
            #expect(claimed.count == 3)
            let later = Self.start.addingTimeInterval(30)
            #expect(try await store.deferLogArchive(
                containerId: "s-retry-driver", holder: "r", .retry(at: later, error: "S3 error 503 SlowDown"), at: Self.start))
            #expect(try await store.deferLogArchive(
                containerId: "s-gone-driver", holder: "r", .unavailable("pod s-gone-driver not found"), at: Self.start))
            #expect(try await store.deferLogArchive(containerId: "s-fail-driver", holder: "r", .failed("gave up"), at: Self.start))

            let early = try await store.claimLogArchives(
                clusterId: "spark-a", holder: "r", now: later.addingTimeInterval(-1), claimFor: .seconds(600), limit: 10)
            #expect(early.isEmpty, "not before its retry time")
            let due = try await store.claimLogArchives(clusterId: "spark-a", holder: "r2", now: later, claimFor: .seconds(600), limit: 10)
            #expect(due.map(\.containerId) == ["s-retry-driver"])
            #expect(due.first?.attempts == 2)
            #expect(due.first?.lastError == "S3 error 503 SlowDown")
            #expect(try await store.logArchives(submissionId: "s-gone").first?.state == .unavailable)
            let failed = try await store.logArchives(submissionId: "s-fail").first
            #expect(failed?.state == .failed)
            #expect(failed?.lastError == "gave up")
            #expect(try await store.logKeys(containerId: "s-gone-driver").isEmpty)
        }
    }
}
