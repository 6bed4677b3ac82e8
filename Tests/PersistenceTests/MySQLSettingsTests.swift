import Foundation
import Testing

@testable import Persistence

@Suite struct MySQLSettingsTests {
    @Test func jdbcURLFromTheAWSSample() throws {
        let settings = try MySQLSettings(
            jdbcURL: "jdbc:mysql://bpg.cluster-x.us-west-2.rds.amazonaws.com:3306/bpg?useUnicode=yes&characterEncoding=UTF-8&useLegacyDatetimeCode=false&connectTimeout=10000&socketTimeout=30000",
            user: "admin", password: "s3cret!", databaseName: "bpg")
        #expect(settings.host == "bpg.cluster-x.us-west-2.rds.amazonaws.com")
        #expect(settings.port == 3306)
        #expect(settings.user == "admin")
        #expect(settings.password == "s3cret!")
        #expect(settings.database == "bpg")
        #expect(settings.connectTimeout == .seconds(10))
        #expect(settings.readTimeout == .seconds(30))
        #expect(settings.writeTimeout == .seconds(30))
        #expect(settings.tls.mode == .disabled)
    }

    @Test func dbNameOverridesTheURLDatabaseAndDefaultsToBpg() throws {
        #expect(try MySQLSettings(jdbcURL: "jdbc:mysql://h/urldb", user: "u", password: "p", databaseName: "reports").database == "reports")
        #expect(try MySQLSettings(jdbcURL: "jdbc:mysql://h/urldb", user: "u", password: "p", databaseName: nil).database == "urldb")
        #expect(try MySQLSettings(jdbcURL: "jdbc:mysql://h:3307", user: "u", password: "p", databaseName: "").database == "bpg")
        #expect(try MySQLSettings(jdbcURL: "jdbc:mysql://h:3307", user: "u", password: "p", databaseName: "").port == 3307)
    }

    @Test func jdbcTLSOptions() throws {
        let verified = try MySQLSettings(
            jdbcURL: "jdbc:mysql://h/db?sslMode=VERIFY_IDENTITY&sslCa=file:/etc/rds-ca.pem", user: "u", password: "p", databaseName: nil)
        #expect(verified.tls == MySQLSettings.TLS(mode: .verifyIdentity, caFile: "/etc/rds-ca.pem"))
        let legacy = try MySQLSettings(jdbcURL: "jdbc:mysql://h/db?useSSL=true", user: "u", password: "p", databaseName: nil)
        #expect(legacy.tls.mode == .verifyIdentity)
        let unverified = try MySQLSettings(
            jdbcURL: "jdbc:mysql://h/db?useSSL=true&verifyServerCertificate=false", user: "u", password: "p", databaseName: nil)
        #expect(unverified.tls.mode == .required)
    }

    @Test func mysqlURLWithEncodedCredentialsAndOptions() throws {
        let settings = try MySQLSettings(url: "mysql://bpg%40corp:p%40ss%2Fw0rd@db.internal:3310/bpg_prod?ssl-ca=/etc/ca.pem&read-timeout=5")
        #expect(settings.user == "bpg@corp")
        #expect(settings.password == "p@ss/w0rd")
        #expect(settings.host == "db.internal")
        #expect(settings.port == 3310)
        #expect(settings.database == "bpg_prod")
        #expect(settings.tls == MySQLSettings.TLS(mode: .verifyIdentity, caFile: "/etc/ca.pem"))
        #expect(settings.readTimeout == .seconds(5))
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        var url: String
        var field: String
        var testDescription: String { url }
    }

    @Test(arguments: [
        BadInput(url: "postgres://u:p@h/db", field: "url"),
        BadInput(url: "mysql:///db", field: "url"),
        BadInput(url: "mysql://u:p@h/bad.name", field: "dbName"),
        BadInput(url: "mysql://u:p@h/db?ssl-mode=SOMETIMES", field: "ssl-mode"),
        BadInput(url: "mysql://:p@h/db", field: "user"),
    ])
    func badURLsNameTheField(input: BadInput) {
        let error = #expect(throws: StoreError.self) { _ = try MySQLSettings(url: input.url) }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains(input.field) == true, "\(error?.message ?? "")")
    }

    @Test func bpgDatabaseNameRule() {
        // BPG's LogDaoTest verifyDBName: "" and "dummy." are refused, "dummy" passes.
        #expect(throws: StoreError.self) { _ = try MySQLSettings(jdbcURL: "jdbc:postgresql://h/db", user: "u", password: "p", databaseName: nil) }
        #expect(throws: StoreError.self) { _ = try MySQLSettings(jdbcURL: "jdbc:mysql://h/db", user: "u", password: "p", databaseName: "dummy.") }
        #expect(throws: StoreError.self) { _ = try MySQLSettings(jdbcURL: "jdbc:mysql://h/db", user: "u", password: "p", databaseName: "a`b") }
        #expect((try? MySQLSettings(jdbcURL: "jdbc:mysql://h/db", user: "u", password: "p", databaseName: "dummy"))?.database == "dummy")
        #expect((try? MySQLSettings(jdbcURL: "jdbc:mysql://h/db", user: "u", password: "p", databaseName: "$bpg_2"))?.database == "$bpg_2")
    }

    @Test func descriptionRedactsThePassword() throws {
        let settings = try MySQLSettings(url: "mysql://bpg:hunter2-secret@db:3306/bpg")
        #expect(!settings.description.contains("hunter2"))
        #expect(!"\(settings)".contains("hunter2"))
        #expect(settings.description.contains("***"))
        #expect(settings.description.contains("db:3306/bpg"))
    }
}
