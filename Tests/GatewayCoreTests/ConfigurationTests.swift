import Foundation
import GatewayCore
import Testing

/// BPG's configuration file, key for key (docs/bpg-compatibility.md, "Configuration keys").
struct ConfigurationTests {
    static func loadSample() throws -> LoadedConfiguration {
        try GatewayConfiguration.load(json: Fixtures.fixtureData("aws-sample-config.json"))
    }

    @Test func awsSampleLoadsUnchanged() throws {
        let config = try Self.loadSample().configuration
        #expect(config.applicationContextPath == "/skatev2")
        #expect(config.sparkClusters.map(\.id) == ["spark-cluster-a", "spark-cluster-b"])
        #expect(config.sparkClusters.map(\.weight) == [50, 50])
        #expect(config.sparkClusters[0].timeoutMillis == 180_000)
        #expect(config.sparkClusters[1].timeoutMillis == 30_000)
        #expect(config.sparkClusters[1].sparkVersions == ["3.5"])
        #expect(config.sparkClusters[0].userTokenSOPS == .environment("CLUSTER_A_TOKEN"))
        #expect(config.sparkClusters[1].caCertDataSOPS == .kubernetesSecret(namespace: "bpg", name: "cluster-b", key: "ca.crt"))
        #expect(config.sparkClusters[0].sparkConf?["spark.kubernetes.allocation.batch.size"] == "2000")
        #expect(config.sparkClusters[0].sparkUIOptions?.servicePort == nil)
        #expect(config.defaultSparkConf?["spark.kubernetes.submission.connectionTimeout"] == "30000")
        #expect(config.queues?.first?.driverCPUBufferRatio == 1.2)
        #expect(config.queues?.first?.maxExecutorInstances == 100)
        #expect(config.dbStorageSOPS?.password == .plaintext("pw"))
        #expect(config.statusCacheExpireMillis == 9000)
        #expect(config.server?.applicationPort == 8080)
        #expect(config.gateway == GatewaySettings())
    }

    @Test func unknownKeysAreReportedNotRejected() throws {
        #expect(try Self.loadSample().unknownKeys == [
            "maxRunningMillis", "server.requestLog", "sparkClusters[0].sparkUIOptions.ServicePort",
        ])
    }

    @Test func defaults() throws {
        let config = try GatewayConfiguration.load(json: Data("{}".utf8)).configuration
        #expect(config.applicationContextPath == "/skatev2")
        #expect(config.statusCacheExpireMillis == 990)
        #expect(config.queues == nil)
        #expect(config.allowedUsers == [])
        #expect(config.server?.applicationPort ?? 8080 == 8080)
        #expect(config.gateway.routing.strategy == .weighted)
        // Availability improvements are on without a `gateway:` section (they change no API shape).
        #expect(config.gateway.routing.maxAttempts == 3)
        #expect(config.gateway.health.enabled)
        #expect(config.gateway.routing.skipUnhealthyClusters)
        #expect(config.gateway.auth.mode == .bpg)
        #expect(config.gateway.store.backend == .auto)
    }

    @Test func gatewaySection() throws {
        let json = #"""
        {"sparkClusters": [{"id": "a", "weight": 1}], "adminUsers": ["root"],
         "gateway": {"routing": {"strategy": "backlogAware", "maxAttempts": 3, "clusterCapacity": {"a": 50}},
                     "health": {"enabled": true, "failureThreshold": 5},
                     "auth": {"mode": "htpasswd", "htpasswdFile": "/etc/bpg/htpasswd", "enforceOwnership": true},
                     "store": {"backend": "sqlite", "sqlitePath": "/var/lib/bpg.db"}}}
        """#
        let loaded = try GatewayConfiguration.load(json: Data(json.utf8))
        let gateway = loaded.configuration.gateway
        #expect(loaded.unknownKeys == [])
        #expect(gateway.routing.strategy == .backlogAware && gateway.routing.maxAttempts == 3)
        #expect(gateway.routing.clusterCapacity == ["a": 50])
        #expect(gateway.health.enabled && gateway.health.failureThreshold == 5 && gateway.health.recoveryThreshold == 2)
        #expect(gateway.auth.mode == .htpasswd && gateway.auth.enforceOwnership)
        #expect(loaded.configuration.effectiveAdminUsers == ["root"])
        #expect(gateway.store.backend == .sqlite)
    }

    @Test func everyProblemIsListedWithItsPath() {
        let json = #"""
        {"applicationContextPath": "skate",
         "sparkClusters": [{"id": "c01", "weight": -1, "queues": ["poc", "ghost"]}, {"id": "c01"}, {"id": "Bad_Id"}],
         "sparkImages": [{"name": "img", "types": ["Java"]}, {"version": "3.1", "types": []}],
         "queues": [{"name": "poc", "driverMemBufferRatio": 0}, {"name": "POC"}],
         "dbStorageSOPS": {"dbName": "bpg-prod"},
         "gateway": {"routing": {"maxAttempts": 0}, "auth": {"mode": "trustedHeader"}}}
        """#
        do {
            _ = try GatewayConfiguration.load(json: Data(json.utf8))
            Issue.record("expected a ConfigurationError")
        } catch {
            #expect(Set(error.problems.map(\.path)) == [
                "applicationContextPath", "sparkClusters[0].weight", "sparkClusters[0].queues[1]", "sparkClusters[1].id",
                "sparkClusters[2].id", "sparkImages[0].version", "sparkImages[1].name", "sparkImages[1].types",
                "queues[0].driverMemBufferRatio", "queues[1].name", "dbStorageSOPS.dbName", "gateway.routing.maxAttempts",
                "gateway.auth.trustedProxies",
            ])
            #expect(error.problems.first { $0.path == "sparkClusters[1].id" }?.message.contains("duplicate cluster id \"c01\"") == true)
            #expect(String(describing: error).contains("13 problems"))
        }
    }

    @Test(arguments: [
        (#"{"sparkClusters": [{"id": "a", "weight": "heavy"}]}"#, "sparkClusters[0].weight"),
        (#"{"gateway": {"routing": {"strategy": "fastest"}}}"#, "gateway.routing.strategy"),
        (#"{"queues": {"name": "poc"}}"#, "queues"),
    ])
    func typeErrorsNameTheKey(json: String, path: String) {
        do {
            _ = try GatewayConfiguration.load(json: Data(json.utf8))
            Issue.record("expected a ConfigurationError")
        } catch {
            #expect(error.problems.map(\.path) == [path])
        }
    }

    @Test func clusterIdsWithDashesAreValid() throws {
        let json = #"{"sparkClusters": [{"id": "spark-cluster-a", "weight": 1}]}"#
        #expect(try GatewayConfiguration.load(json: Data(json.utf8)).configuration.sparkClusters[0].id == "spark-cluster-a")
    }

    @Test func matchSparkVersionAndQueue() {
        var cluster = SparkClusterConfiguration(id: "c")
        #expect(!cluster.supportsSparkVersion("2.4") && !cluster.servesQueue("q1"))
        cluster.sparkVersions = ["2.4"]
        cluster.queues = ["q1"]
        #expect(cluster.supportsSparkVersion("2.4") && !cluster.supportsSparkVersion("3.0"))
        #expect(!cluster.supportsSparkVersion(nil) && !cluster.supportsSparkVersion(""))
        #expect(cluster.servesQueue("Q1") && !cluster.servesQueue("q2") && !cluster.servesQueue(nil) && !cluster.servesQueue(""))
        cluster.sparkVersions = ["2.4", "3.0"]
        #expect(!cluster.supportsSparkVersion("3.1"))
    }
}
