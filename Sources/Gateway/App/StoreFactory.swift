import Foundation
import GatewayCore
import KubeClient
import Logging
import Persistence

/// Opens the submission store the configuration asks for.
///
/// `gateway.store.backend`:
/// - `auto` (default): MySQL when `dbStorageSOPS.connectionString` is set, else the embedded SQLite
///   file. BPG silently records nothing without a database; we never drop a record.
/// - `mysql`, `sqlite`, `memory` (lost on restart), `none` (kept in memory only, with a warning).
enum StoreFactory {
    struct Opened {
        var store: any SubmissionStore
        /// For the startup log line; never contains a password.
        var description: String
    }

    static func open(
        _ configuration: GatewayConfiguration, environment: [String: String], logger: Logger
    ) async throws -> Opened {
        let settings = configuration.gateway.store
        let connectionString = configuration.dbStorageSOPS?.connectionString.flatMap { $0.isEmpty ? nil : $0 }
        let backend = settings.backend == .auto ? (connectionString == nil ? .sqlite : .mysql) : settings.backend
        switch backend {
        case .mysql:
            guard let database = configuration.dbStorageSOPS, let connectionString else {
                throw StoreError(.configuration, operation: "open", message: "dbStorageSOPS.connectionString: required for the mysql store")
            }
            let password = try await resolvePassword(database.password, environment: environment)
            let mysql: MySQLSettings
            if connectionString.lowercased().hasPrefix("jdbc:") {
                mysql = try MySQLSettings(
                    jdbcURL: connectionString, user: database.user, password: password, databaseName: database.dbName)
            } else {
                var parsed = try MySQLSettings(url: connectionString)
                if let user = database.user { parsed.user = user }
                if let password { parsed.password = password }
                mysql = parsed
            }
            let store = try await MySQLSubmissionStore.open(
                MySQLStoreConfiguration(settings: mysql, logger: logger.withLabel("bpg.store")))
            return Opened(store: store, description: "mysql \(mysql.description)")
        case .sqlite, .auto:
            let path = settings.sqlitePath ?? SQLiteSubmissionStore.defaultPath
            let store = try await SQLiteSubmissionStore.open(
                SQLiteStoreConfiguration(path: path, logger: logger.withLabel("bpg.store")))
            return Opened(store: store, description: "sqlite \(store.path)")
        case .memory:
            return Opened(store: InMemorySubmissionStore(), description: "memory (records are lost on restart)")
        case .none:
            logger.warning("gateway.store.backend is none: submissions are kept in memory only and lost on restart")
            return Opened(store: InMemorySubmissionStore(), description: "none (memory only)")
        }
    }

    private static func resolvePassword(_ reference: SecretReference?, environment: [String: String]) async throws -> String? {
        guard let reference else { return nil }
        let resolver = SecretValueResolver(environment: environment)
        return try await resolver.resolve(reference.encoded, field: "dbStorageSOPS.password", clusterID: "database")
    }
}
