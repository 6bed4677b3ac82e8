// Single-row submission inserts and status updates per second through the store's public API,
// sequentially from one task (the same work the C baseline in baseline.c does in a plain loop).
//
//   StoreBench mysql  mysql://user:pass@host:port/db  COUNT
//   StoreBench sqlite /path/to/file.sqlite            COUNT
//   StoreBench schema mysql://user:pass@host:port/db    (create the database and schema, then exit)
import Foundation
import Persistence

/// Runs off the main actor (top-level code is main-actor isolated, and every hop back to the main
/// thread would be charged to the store).
enum Bench {
    static func run() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 3 else {
            print("usage: StoreBench mysql|sqlite|schema TARGET [COUNT]")
            exit(2)
        }
        let kind = arguments[1]
        let target = arguments[2]
        let count = arguments.count > 3 ? Int(arguments[3]) ?? 2000 : 2000

        let store: any SubmissionStore
        switch kind {
        case "mysql", "schema":
            store = try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: MySQLSettings(url: target), poolSize: 1))
        case "sqlite":
            store = try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: target, readerCount: 1))
        default:
            print("unknown store kind \(kind)")
            exit(2)
        }
        if kind == "schema" {
            await store.shutdown()
            exit(0)
        }

        /// The same 2 KB request body as the C baseline.
        let body = "{\"sparkVersion\":\"3.5.0\",\"mainApplicationFile\":\"s3a://bucket/app.jar\",\"padding\":\""
            + String(repeating: "x", count: 2000) + "\"}"

        @Sendable func measure(_ label: String, _ operation: (Int) async throws -> Void) async throws -> Double {
            let clock = ContinuousClock()
            let start = clock.now
            for index in 0..<count { try await operation(index) }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Double(count) / seconds
        }

        let inserts = try await measure("insert") { index in
            _ = try await store.insertSubmission(
                NewSubmission(
                    submissionId: "bench-\(index)", user: "bench-user", appName: "bench-app", sparkVersion: "3.5.0",
                    queue: "poc", resolvedQueue: "root.poc", clusterId: "spark-a", namespace: "spark-ns", requestBody: body))
        }
        let updates = try await measure("update") { index in
            _ = try await store.updateStatus(submissionId: "bench-\(index)", status: "RUNNING", observedVersion: 1, at: Date())
        }
        await store.shutdown()
        print(String(format: "inserts_per_s=%.0f updates_per_s=%.0f", inserts, updates))
    }
}

try await Bench.run()
