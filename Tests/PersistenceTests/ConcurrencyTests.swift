import Foundation
import Testing

@testable import Persistence

@Suite struct ConcurrencyTests {
    /// 8 concurrent tasks × 1,000 submissions: every one present exactly once.
    @Test(arguments: StoreKind.allCases)
    func eightTasksOfAThousandInserts(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 8) { store in
            let created = second(1_760_100_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<1000 {
                            let outcome = try await store.insertSubmission(
                                submission("c-\(task)-\(index)", user: "user-\(task)", created: created.addingTimeInterval(Double(index % 50))))
                            guard case .inserted = outcome else { throw StoreError(.query, operation: "test", message: "\(outcome)") }
                        }
                    }
                }
                try await group.waitForAll()
            }
            var ids: [String] = []
            for try await record in store.streamSubmissions(SubmissionQuery(limit: 700)) { ids.append(record.submissionId) }
            #expect(ids.count == 8000)
            #expect(Set(ids).count == 8000)
            let expected = Set((0..<8).flatMap { task in (0..<1000).map { "c-\(task)-\($0)" } })
            #expect(Set(ids) == expected)
            for task in [0, 7] {
                var count = 0
                for try await record in store.streamSubmissions(SubmissionQuery(user: "user-\(task)", limit: 300)) {
                    #expect(record.user == "user-\(task)")
                    count += 1
                }
                #expect(count == 1000)
            }
        }
    }
}
