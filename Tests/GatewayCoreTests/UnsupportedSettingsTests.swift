import Foundation
import Testing

@testable import GatewayCore

/// Every key of BPG's configuration either takes effect or is named at startup.
struct UnsupportedSettingsTests {
    @Test func bpgKeysWithoutEffectAreNamed() throws {
        let json = """
            {"s3Bucket": "b", "s3Folder": "f", "sparkLogS3Bucket": "logs", "sparkHistoryUrl": "http://shs",
             "sparkHistoryDns": "shs.example.com", "adminUsers": ["root"], "gatewayDns": "g", "sparkLogIndex": "i",
             "logging": {"level": "WARN", "loggers": {"com.apple.spark": "INFO"}, "appenders": [{"type": "console"}]},
             "server": {"applicationConnectors": [{"type": "https", "port": 8443}, {"type": "http", "port": 8080}]}}
            """
        let configuration = try GatewayConfiguration.load(json: Data(json.utf8)).configuration
        let keys = configuration.unsupportedSettings.map(\.key)
        #expect(
            Set(keys) == [
                "sparkHistoryUrl", "adminUsers", "gatewayDns", "sparkLogIndex",
                "logging.loggers", "logging.appenders", "server.applicationConnectors[0].type",
                "server.applicationConnectors[1...]",
            ])
        // Taking effect: Dropwizard's level sets the threshold; sparkHistoryDns is used for links.
        #expect(configuration.dropwizardLogLevel == "warning")
        #expect(configuration.unsupportedSettings.first { $0.key == "adminUsers" }?.reason.contains("gateway.auth.adminUsers") == true)
        // S3 uploads take effect; a Google Cloud Storage bucket does not.
        let gcs = try GatewayConfiguration.load(json: Data(#"{"s3Bucket": "gs://b"}"#.utf8)).configuration
        #expect(gcs.unsupportedSettings.map(\.key) == ["s3Bucket"])
        // Archived logs take effect (sparkLogS3Bucket); in a Google Cloud Storage bucket they do not.
        let gcsLogs = try GatewayConfiguration.load(json: Data(#"{"sparkLogS3Bucket": "gs://logs"}"#.utf8)).configuration
        #expect(gcsLogs.unsupportedSettings.map(\.key) == ["sparkLogS3Bucket"])
    }

    @Test func adminUsersWithTheAuthSectionTakeEffect() throws {
        let json = #"{"adminUsers": ["root"], "gateway": {"auth": {"adminUsers": ["root"]}}, "logging": {"level": "debug"}}"#
        let configuration = try GatewayConfiguration.load(json: Data(json.utf8)).configuration
        #expect(configuration.unsupportedSettings.isEmpty)
        #expect(configuration.dropwizardLogLevel == "debug")
    }

    @Test func clusterPodSpecsAndZonePickersBPGIgnores() throws {
        let json = """
            {"sparkClusters": [{"id": "a", "weight": 1, "driver": {"cores": 2, "env": [{"name": "A", "value": "1"}]},
                                "executor": {"volumeMounts": [{"name": "v", "mountPath": "/v"}]}}],
             "queues": [{"name": "q", "zonePickerName": "random"}, {"name": "r", "zonePickerName": "ROUND_ROBIN"}]}
            """
        let configuration = try GatewayConfiguration.load(json: Data(json.utf8)).configuration
        #expect(configuration.unsupportedSettings.map(\.key) == ["sparkClusters[0].driver.cores", "queues[0].zonePickerName"])
    }

    @Test func aBadLevelIsNamed() throws {
        let configuration = try GatewayConfiguration.load(json: Data(#"{"logging": {"level": "LOUD"}}"#.utf8)).configuration
        #expect(configuration.dropwizardLogLevel == nil)
        #expect(configuration.unsupportedSettings.map(\.key) == ["logging.level"])
    }

    @Test func adminEndpointFollowsDropwizardsAdminConnectors() throws {
        #expect(ServerConfiguration.adminEndpoint(nil)?.port == 8081)
        let custom = ServerConfiguration(adminConnectors: [.init(type: "http", port: 9081, bindHost: "127.0.0.1")])
        #expect(ServerConfiguration.adminEndpoint(custom)?.port == 9081)
        #expect(ServerConfiguration.adminEndpoint(custom)?.host == "127.0.0.1")
        #expect(ServerConfiguration.adminEndpoint(ServerConfiguration(adminConnectors: [])) == nil, "an empty list turns it off")
    }
}
