import Foundation
import GatewayCore
import Testing

/// `gateway.http`: the connection limits of the HTTP server.
struct HTTPLimitsConfigurationTests {
    @Test func defaultsMatchTheHTTPServer() throws {
        let http = try GatewayConfiguration.load(json: Data("{}".utf8)).configuration.gateway.http
        #expect(http.maxConnections == 1024)
        #expect(http.maxConnectionsPerAddress == 512)
        #expect(http.headerTimeoutSeconds == 10)
    }

    @Test func keysAreRead() throws {
        let json = #"{"gateway":{"http":{"maxConnections":4096,"maxConnectionsPerAddress":0,"headerTimeoutSeconds":5}}}"#
        let loaded = try GatewayConfiguration.load(json: Data(json.utf8))
        #expect(loaded.unknownKeys.isEmpty)
        #expect(loaded.configuration.gateway.http.maxConnections == 4096)
        #expect(loaded.configuration.gateway.http.maxConnectionsPerAddress == 0)
        #expect(loaded.configuration.gateway.http.headerTimeoutSeconds == 5)
    }

    @Test func unsafeValuesAreListed() throws {
        let json = #"{"gateway":{"http":{"maxConnections":0,"maxConnectionsPerAddress":-1,"headerTimeoutSeconds":0}}}"#
        let error = #expect(throws: ConfigurationError.self) { try GatewayConfiguration.load(json: Data(json.utf8)) }
        #expect(Set(error?.problems.map(\.path) ?? []) == [
            "gateway.http.maxConnections", "gateway.http.maxConnectionsPerAddress", "gateway.http.headerTimeoutSeconds",
        ])
    }
}
