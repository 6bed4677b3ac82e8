import Foundation
import Testing

@testable import Persistence

/// The Livy batch-id table, run against every store kind.
@Suite struct LivyBatchStoreTests {
    @Test(arguments: StoreKind.allCases)
    func batchIdsAreAssignedOnceInOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("s-livy-1"))
            _ = try await store.insertSubmission(submission("s-livy-2"))
            let first = try await store.livyBatchId(forSubmission: "s-livy-1", at: Date())
            let second = try await store.livyBatchId(forSubmission: "s-livy-2", at: Date())
            #expect(second > first)
            // A retried assignment returns the same id and spends none.
            #expect(try await store.livyBatchId(forSubmission: "s-livy-1", at: Date()) == first)
            let third = try await store.livyBatchId(forSubmission: "s-livy-3", at: Date())
            #expect(third > second)

            #expect(try await store.livyBatch(id: first) == LivyBatch(batchId: first, submissionId: "s-livy-1"))
            #expect(try await store.livyBatch(id: second)?.submissionId == "s-livy-2")
            #expect(try await store.livyBatch(id: third + 100) == nil)
            #expect(try await store.livyBatch(id: -1) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listingsPageLowestIdFirstAndFilterByUser(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var ids: [Int64] = []
            for index in 0..<5 {
                let id = "s-page-\(index)"
                _ = try await store.insertSubmission(submission(id, user: index.isMultiple(of: 2) ? "alice" : "bob"))
                ids.append(try await store.livyBatchId(forSubmission: id, at: Date()))
            }
            let all = try await store.livyBatches(user: nil, from: 0, size: 100)
            #expect(all.total == 5)
            #expect(all.batches.map(\.batchId) == ids)

            let page = try await store.livyBatches(user: nil, from: 1, size: 2)
            #expect(page.total == 5)
            #expect(page.batches.map(\.submissionId) == ["s-page-1", "s-page-2"])
            #expect(try await store.livyBatches(user: nil, from: 10, size: 2).batches.isEmpty)

            let alice = try await store.livyBatches(user: "alice", from: 0, size: 100)
            #expect(alice.total == 3)
            #expect(alice.batches.map(\.submissionId) == ["s-page-0", "s-page-2", "s-page-4"])
            let aliceSecond = try await store.livyBatches(user: "alice", from: 1, size: 1)
            #expect(aliceSecond.total == 3)
            #expect(aliceSecond.batches.map(\.submissionId) == ["s-page-2"])
            #expect(try await store.livyBatches(user: "carol", from: 0, size: 10) == LivyBatchPage(total: 0, batches: []))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentAssignmentsOfOneSubmissionAgree(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.insertSubmission(submission("s-race"))
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<8 { group.addTask { try await store.livyBatchId(forSubmission: "s-race", at: Date()) } }
                var ids: Set<Int64> = []
                for try await id in group { ids.insert(id) }
                return ids
            }
            #expect(ids.count == 1)
            #expect(try await store.livyBatches(user: nil, from: 0, size: 10).total == 1)
        }
    }
}
