import Foundation
import Testing

@testable import Persistence

/// The store kinds every behaviour test runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, mysql
    var testDescription: String { rawValue }
}

/// What `scripts/test.sh` exports: the MariaDB it started and how to restart it.
enum TestEnvironment {
    struct MissingVariable: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not set: run the tests with ./scripts/test.sh, which starts MariaDB" }
    }

    static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw MissingVariable(name: name)
        }
        return value
    }

    /// Settings for a fresh database of the test's own (`bpg_test_<random>`), so tests run in parallel.
    static func mysqlSettings(database: String = uniqueDatabaseName()) throws -> MySQLSettings {
        var settings = try MySQLSettings(url: variable("BPG_TEST_MYSQL_URL"))
        settings.database = database
        return settings
    }

    static func uniqueDatabaseName() -> String {
        "bpg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    static func temporarySQLitePath() -> String {
        NSTemporaryDirectory() + "bpg-store-test-\(UUID().uuidString)/bpg.sqlite"
    }

    /// Shuts the store down and removes a SQLite store's temporary directory.
    static func close(_ store: any SubmissionStore) async {
        await store.shutdown()
        if let sqlite = store as? SQLiteSubmissionStore {
            try? FileManager.default.removeItem(atPath: (sqlite.path as NSString).deletingLastPathComponent)
        }
    }

    static func makeStore(_ kind: StoreKind, poolSize: Int = 4) async throws -> any SubmissionStore {
        switch kind {
        case .memory:
            return InMemorySubmissionStore()
        case .sqlite:
            return try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: temporarySQLitePath()))
        case .mysql:
            var configuration = MySQLStoreConfiguration(settings: try mysqlSettings())
            configuration.poolSize = poolSize
            return try await MySQLSubmissionStore.open(configuration)
        }
    }
}

/// Runs `body` with a fresh store and shuts it down afterwards, whatever happens.
func withStore<T>(_ kind: StoreKind, poolSize: Int = 4, _ body: (any SubmissionStore) async throws -> T) async throws -> T {
    let store = try await TestEnvironment.makeStore(kind, poolSize: poolSize)
    do {
        let result = try await body(store)
        await TestEnvironment.close(store)
        return result
    } catch {
        await TestEnvironment.close(store)
        throw error
    }
}

/// A date with whole seconds, as the stores keep BPG's timestamps.
func second(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds.rounded(.down)) }

func submission(_ id: String, user: String = "alice", created: Date = Date(), key: String? = nil, body: String? = "{}")
    -> NewSubmission
{
    NewSubmission(
        submissionId: id, user: user, appName: "app-\(user)", sparkVersion: "3.5.0", queue: "poc",
        resolvedQueue: "root.poc", clusterId: "spark-a", namespace: "spark-ns", idempotencyKey: key,
        requestBody: body, createdTime: created)
}
