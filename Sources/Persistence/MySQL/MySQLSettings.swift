import Foundation

/// Where and how to connect to MySQL (Aurora MySQL, MySQL 8, MariaDB).
///
/// Built from BPG's `dbStorageSOPS` (`init(jdbcURL:user:password:databaseName:)`) or from a
/// `mysql://user:password@host:port/database?ssl-mode=VERIFY_IDENTITY&ssl-ca=/path` URL.
/// `description` never shows the password.
public struct MySQLSettings: Sendable, Equatable, CustomStringConvertible {
    /// Transport security for managed databases.
    public struct TLS: Sendable, Equatable {
        public enum Mode: String, Sendable, Equatable {
            /// Plain TCP.
            case disabled
            /// TLS, without checking the server's certificate (only when a deployment truly has no CA).
            case required
            /// TLS, the certificate checked against `caFile` and the host name. MariaDB Connector/C
            /// checks both together, so `VERIFY_CA` is treated as this stricter mode.
            case verifyIdentity
        }

        public var mode: Mode
        /// PEM file of the certificate authority (for Aurora, the RDS CA bundle).
        public var caFile: String?

        public init(mode: Mode, caFile: String? = nil) {
            self.mode = mode
            self.caFile = caFile
        }
    }

    public var host: String
    public var port: Int
    public var user: String
    /// Already resolved by the caller from BPG's secret encodings.
    public var password: String
    /// The schema holding the tables (BPG's `dbName`, default `bpg`); created when missing.
    public var database: String
    public var tls: TLS
    public var connectTimeout: Duration
    /// Bounds each read and write on the socket, so a dead server cannot hang a connection forever.
    public var readTimeout: Duration
    public var writeTimeout: Duration

    public init(
        host: String, port: Int = 3306, user: String, password: String, database: String = "bpg",
        tls: TLS = TLS(mode: .disabled), connectTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(30),
        writeTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
    }

    public var description: String {
        "mysql://\(user):***@\(host):\(port)/\(database) (tls: \(tls.mode.rawValue)"
            + (tls.caFile.map { ", ca: \($0)" } ?? "") + ")"
    }

    /// Parses `mysql://user:password@host[:port]/database[?options]` (user and password
    /// percent-encoded). Options: `ssl-mode` (`DISABLED`, `REQUIRED`, `VERIFY_CA`, `VERIFY_IDENTITY`),
    /// `ssl-ca`, `connect-timeout`, `read-timeout`, `write-timeout` (seconds).
    public init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "mysql"
            || components.scheme?.lowercased() == "mariadb"
        else {
            throw StoreError(.configuration, operation: "settings", message: "url: expected mysql://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.configuration, operation: "settings", message: "url: the host is missing")
        }
        let user = components.percentEncodedUser?.removingPercentEncoding ?? ""
        let password = components.percentEncodedPassword?.removingPercentEncoding ?? ""
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.init(host: host, port: components.port ?? 3306, user: user, password: password, database: path.isEmpty ? "bpg" : path)
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "ssl-mode", "sslmode": tls.mode = try Self.tlsMode(value, field: "url ssl-mode")
            case "ssl-ca", "sslca": tls.caFile = value
            case "connect-timeout": connectTimeout = try Self.seconds(value, field: "url connect-timeout", scale: 1)
            case "read-timeout": readTimeout = try Self.seconds(value, field: "url read-timeout", scale: 1)
            case "write-timeout": writeTimeout = try Self.seconds(value, field: "url write-timeout", scale: 1)
            default: break
            }
        }
        if tls.caFile != nil, !(components.queryItems ?? []).contains(where: { ["ssl-mode", "sslmode"].contains($0.name.lowercased()) }) {
            tls.mode = .verifyIdentity
        }
        try validate()
    }

    /// From BPG's `dbStorageSOPS`: `connectionString` (`jdbc:mysql://host:port/db?…`), `user`,
    /// `password` (resolved), `dbName` (the schema; overrides the URL's database; default `bpg`).
    ///
    /// JDBC options understood: `sslMode`, `useSSL`/`requireSSL`, `verifyServerCertificate`, `sslCa`,
    /// `connectTimeout` and `socketTimeout` (milliseconds), and `user`/`password` when the separate
    /// fields are empty.
    public init(jdbcURL: String, user: String?, password: String?, databaseName: String?) throws {
        let trimmed = jdbcURL.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        guard lowered.hasPrefix("jdbc:mysql://") || lowered.hasPrefix("jdbc:mariadb://") || lowered.hasPrefix("jdbc:aws-wrapper:mysql://")
        else {
            throw StoreError(
                .configuration, operation: "settings",
                message: "dbStorageSOPS.connectionString: expected jdbc:mysql://host:port/database, got a \(trimmed.split(separator: ":").prefix(2).joined(separator: ":")) URL")
        }
        guard let scheme = trimmed.range(of: "://"),
            let components = URLComponents(string: "mysql://" + trimmed[scheme.upperBound...]),
            let host = components.host, !host.isEmpty
        else {
            throw StoreError(.configuration, operation: "settings", message: "dbStorageSOPS.connectionString: the host is missing")
        }
        if host.contains(",") {
            throw StoreError(.configuration, operation: "settings", message: "dbStorageSOPS.connectionString: several hosts are not supported")
        }
        let items = components.queryItems ?? []
        func option(_ name: String) -> String? { items.first { $0.name.lowercased() == name.lowercased() }?.value }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = databaseName.flatMap { $0.isEmpty ? nil : $0 } ?? (path.isEmpty ? "bpg" : path)
        self.init(
            host: host, port: components.port ?? 3306,
            user: user.flatMap { $0.isEmpty ? nil : $0 } ?? option("user") ?? "",
            password: password.flatMap { $0.isEmpty ? nil : $0 } ?? option("password") ?? "", database: database)
        if let value = option("sslMode") { tls.mode = try Self.tlsMode(value, field: "dbStorageSOPS.connectionString sslMode") }
        else if option("useSSL") == "true" || option("requireSSL") == "true" {
            tls.mode = option("verifyServerCertificate") == "false" ? .required : .verifyIdentity
        }
        if let ca = option("sslCa") ?? option("serverSslCert") { tls.caFile = ca.hasPrefix("file:") ? String(ca.dropFirst(5)) : ca }
        if let value = option("connectTimeout") { connectTimeout = try Self.seconds(value, field: "connectTimeout", scale: 1000) }
        if let value = option("socketTimeout") {
            readTimeout = try Self.seconds(value, field: "socketTimeout", scale: 1000)
            writeTimeout = readTimeout
        }
        try validate()
    }

    private static func tlsMode(_ value: String, field: String) throws -> TLS.Mode {
        switch value.uppercased().replacingOccurrences(of: "-", with: "_") {
        case "DISABLED", "DISABLE", "FALSE": return .disabled
        case "REQUIRED", "REQUIRE", "PREFERRED", "TRUE": return .required
        case "VERIFY_CA", "VERIFY_IDENTITY", "VERIFY_FULL": return .verifyIdentity
        default: throw StoreError(.configuration, operation: "settings", message: "\(field): unknown mode \(value)")
        }
    }

    private static func seconds(_ value: String, field: String, scale: Int64) throws -> Duration {
        guard let number = Int64(value), number >= 0 else {
            throw StoreError(.configuration, operation: "settings", message: "\(field): not a whole number: \(value)")
        }
        return .milliseconds(number * 1000 / scale)
    }

    /// BPG's rule for `dbName` (`[0-9a-zA-Z$_]+`): the name goes into DDL, where it cannot be bound.
    func validate() throws {
        guard !database.isEmpty, database.count <= 64,
            database.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "$" })
        else {
            throw StoreError(
                .configuration, operation: "settings", message: "dbName: must match [0-9a-zA-Z$_]+ (at most 64), got \"\(database)\"")
        }
        guard port > 0, port < 65536 else {
            throw StoreError(.configuration, operation: "settings", message: "port: \(port) is out of range")
        }
        guard !user.isEmpty else {
            throw StoreError(.configuration, operation: "settings", message: "user: empty")
        }
    }
}
