import Foundation
import Testing
import YAML

/// Typed structs shaped like BPG's `AppConfig` (docs/bpg-compatibility.md, "Configuration keys"),
/// defined here to prove the decoder on a realistic configuration.
private struct AppConfig: Decodable {
    struct SparkCluster: Decodable {
        var id: String
        var weight: Int?
        var eksCluster: String?
        var masterUrl: String
        var caCertDataSOPS: String?
        var userName: String?
        var userTokenSOPS: String?
        var timeoutMillis: Int64?
        var sparkApplicationNamespace: String
        var sparkServiceAccount: String?
        var batchScheduler: String?
        var sparkVersions: [String]
        var queues: [String]
        var ttlSeconds: Int64?
        var sparkUIUrl: String?
        var sparkConf: [String: String]?
        var sparkUIOptions: SparkUIOptions?
        var volumes: [Volume]?
        var driver: PodSpec?
        var executor: PodSpec?
    }
    struct SparkUIOptions: Decodable {
        var servicePort: Int?
        var ingressAnnotations: [String: String]?
        var ingressTLS: [IngressTLS]?
    }
    struct IngressTLS: Decodable {
        var hosts: [String]
        var secretName: String
    }
    struct Volume: Decodable {
        struct HostPath: Decodable {
            var path: String
            var type: String?
        }
        var name: String
        var hostPath: HostPath?
    }
    struct PodSpec: Decodable {
        var env: [EnvVar]?
        var volumeMounts: [VolumeMount]?
    }
    struct EnvVar: Decodable {
        struct Source: Decodable {
            struct FieldRef: Decodable { var fieldPath: String }
            var fieldRef: FieldRef?
        }
        var name: String
        var value: String?
        var valueFrom: Source?
    }
    struct VolumeMount: Decodable {
        var name: String
        var mountPath: String
    }
    struct SparkImage: Decodable {
        var name: String
        var types: [String]
        var version: String
    }
    struct QueueConfig: Decodable {
        var name: String
        var secure: Bool?
        var users: [String]?
        var maxRunningMillis: Int64?
        var driverNodeLabelKey: String?
        var driverNodeLabelValues: [String]?
        var executorNodeLabelValues: [String]?
        var executorSpotNodeLabelValues: [String]?
        var driverCPUBufferRatio: Double?
        var executorMemBufferRatio: Double?
        var maxExecutorInstances: Int?
        var allowedZones: [String]?
        var zonePickerName: String?
    }
    struct Secrets: Decodable { var secrets: [String] }
    struct DBStorage: Decodable {
        var connectionString: String
        var user: String
        var password: String
        var dbName: String?
    }

    var applicationContextPath: String?
    var defaultSparkConf: [String: String]?
    var fixedSparkConf: [String: String]?
    var sparkClusters: [SparkCluster]
    var sparkImages: [SparkImage]?
    var s3Bucket: String?
    var s3Folder: String?
    var sparkLogS3Bucket: String?
    var sparkHistoryDns: String?
    var allowedUsers: [String]?
    var blockedUsers: [String]?
    var adminUsers: [String]?
    var queues: [QueueConfig]?
    var queueTokenSOPS: Secrets?
    var dbStorageSOPS: DBStorage?
    var memoryMbSecondCost: Double?
    var vCoreSecondCost: Double?
    var statusCacheExpireMillis: Int64?
}

/// The EMR-on-EKS sample's Helm values; `plainConfig` is an `AppConfig`.
private struct HelmValues: Decodable {
    struct Image: Decodable {
        var repository: String
        var tag: String
    }
    var image: Image
    var replicas: Int
    var resources: [String: [String: String]]
    var plainConfig: AppConfig
}

/// A kubeconfig, shaped like client-go's `clientcmdapi.Config`.
private struct Kubeconfig: Decodable {
    struct NamedCluster: Decodable {
        struct Cluster: Decodable {
            var server: String
            var certificateAuthorityData: String?
            var certificateAuthority: String?
            var insecureSkipTLSVerify: Bool?
            var proxyURL: String?
            enum CodingKeys: String, CodingKey {
                case server
                case certificateAuthorityData = "certificate-authority-data"
                case certificateAuthority = "certificate-authority"
                case insecureSkipTLSVerify = "insecure-skip-tls-verify"
                case proxyURL = "proxy-url"
            }
        }
        var name: String
        var cluster: Cluster
    }
    struct NamedContext: Decodable {
        struct Context: Decodable {
            var cluster: String
            var user: String
            var namespace: String?
        }
        var name: String
        var context: Context
    }
    struct NamedUser: Decodable {
        struct User: Decodable {
            var exec: ExecConfig?
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            enum CodingKeys: String, CodingKey {
                case exec, token
                case clientCertificateData = "client-certificate-data"
                case clientKeyData = "client-key-data"
            }
        }
        var name: String
        var user: User
    }
    struct ExecConfig: Decodable {
        struct EnvVar: Decodable, Equatable {
            var name: String
            var value: String
        }
        var apiVersion: String
        var command: String
        var args: [String]?
        var env: [EnvVar]?
        var interactiveMode: String?
        var provideClusterInfo: Bool?
    }
    var apiVersion: String
    var kind: String
    var currentContext: String
    var clusters: [NamedCluster]
    var contexts: [NamedContext]
    var users: [NamedUser]
    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, clusters, contexts, users
        case currentContext = "current-context"
    }
}

@Suite struct ConfigFixtureTests {
    @Test func decodesTheBPGConfigExample() throws {
        let config = try YAMLDecoder().decode(AppConfig.self, from: Fixture.text("bpg-config.yaml"))
        #expect(config.applicationContextPath == "/skatev2")
        #expect(config.defaultSparkConf?["spark.sql.adaptive.enabled"] == "true")
        #expect(config.defaultSparkConf?["spark.executor.memoryOverheadFactor"] == "0.1")
        #expect(config.sparkClusters.map(\.id) == ["c01", "c02"])

        let c01 = try #require(config.sparkClusters.first)
        #expect(c01.weight == 100)
        #expect(c01.timeoutMillis == 30_000)
        #expect(c01.sparkVersions == ["3.2", "3.5"])
        #expect(c01.queues == ["poc", "prod"])
        #expect(c01.sparkConf?["spark.kubernetes.executor.podNamePrefix"] == "{spark-application-resource-name}")
        #expect(c01.sparkConf?["spark.kubernetes.allocation.batch.size"] == "2000")
        #expect(c01.sparkUIOptions?.servicePort == 4040)
        #expect(c01.sparkUIOptions?.ingressAnnotations?["nginx.ingress.kubernetes.io/rewrite-target"] == "/$2")
        #expect(c01.sparkUIOptions?.ingressTLS?.first?.hosts == ["spark-ui.example.com"])
        #expect(c01.volumes?.first?.hostPath?.type == "DirectoryOrCreate")
        #expect(c01.driver?.env?.map(\.name) == ["STATSD_SERVER_IP", "STATSD_SERVER_PORT"])
        #expect(c01.driver?.env?.first?.valueFrom?.fieldRef?.fieldPath == "status.hostIP")
        #expect(c01.driver?.env?.last?.value == "8125")
        #expect(c01.executor?.volumeMounts == nil)

        // c02 merges the anchored default conf and overrides one key.
        let c02 = try #require(config.sparkClusters.last)
        #expect(c02.weight == 0)
        #expect(c02.sparkConf == ["a": "overridden", "spark.sql.adaptive.enabled": "true", "spark.executor.memoryOverheadFactor": "0.1"])

        #expect(config.sparkImages?.map(\.version) == ["3.2", "3.5"])
        #expect(config.sparkImages?.last?.types == ["Java", "Scala"])
        #expect(config.allowedUsers == ["*"])
        #expect(config.adminUsers == [])
        let prod = try #require(config.queues?.last)
        #expect(prod.secure == true)
        #expect(prod.maxRunningMillis == 21_600_000)
        #expect(prod.driverCPUBufferRatio == 1.5)
        #expect(prod.executorMemBufferRatio == 1.2)
        #expect(prod.allowedZones == ["us-west-2a", "us-west-2b"])
        #expect(config.queues?.first?.secure == nil)
        #expect(config.queueTokenSOPS?.secrets == ["plaintext:secret1", "localhost:env:QUEUE_TOKEN_SECRET"])
        #expect(config.dbStorageSOPS?.connectionString.hasSuffix("characterEncoding=UTF-8") == true)
        #expect(config.memoryMbSecondCost == 0.000000001)
        #expect(config.vCoreSecondCost == 1.0e-8)
        #expect(config.statusCacheExpireMillis == 9000)
    }

    @Test func decodesTheEMRSampleValues() throws {
        let values = try YAMLDecoder().decode(HelmValues.self, from: Fixture.text("emr-on-eks-values.yaml"))
        #expect(values.resources["limits"] == ["cpu": "2", "memory": "4G"])
        let config = values.plainConfig
        #expect(config.sparkClusters.map(\.id) == ["spark-cluster-a", "spark-cluster-b"])
        #expect(config.sparkClusters.map(\.weight) == [50, 50])
        #expect(config.sparkClusters[0].sparkVersions == ["3.5.0"])
        #expect(config.sparkClusters[0].timeoutMillis == 180_000)
        #expect(config.sparkClusters[0].sparkConf?["spark.kubernetes.allocation.batch.delay"] == "1s")
        #expect(config.sparkImages?.first?.types == ["Java", "Scala", "python"])
        #expect(config.queues?.map(\.name) == ["dev"])
        #expect(config.dbStorageSOPS?.dbName == "bpg")
    }

    /// The sample's mis-indented `maxRunningMillis` is silently ignored by BPG; the strict mode
    /// points at it.
    @Test func strictDecodingFindsTheMisplacedKeyInTheEMRSample() throws {
        var decoder = YAMLDecoder()
        decoder.rejectsUnknownKeys = true
        let text = try Fixture.text("emr-on-eks-values.yaml")
        let error = try #require(throws: YAMLError.self) { try decoder.decode(HelmValues.self, from: text) }
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "  maxRunningMillis: 21600000" }) + 1
        #expect(error.code == .unknownKey)
        #expect(error.line == line)
        #expect(error.column == 3)
        #expect(error.path == "plainConfig")
        #expect(error.description == "line \(line), column 3 (plainConfig): unknown key \"maxRunningMillis\"")
    }

    @Test func decodesAKubeconfig() throws {
        let config = try YAMLDecoder().decode(Kubeconfig.self, from: Fixture.text("kubeconfig.yaml"))
        #expect(config.currentContext == "prod-admin")
        #expect(config.clusters.map(\.name) == ["prod", "dev"])
        let ca = try #require(config.clusters[0].cluster.certificateAuthorityData)
        let pem = try #require(Data(base64Encoded: ca).map { String(decoding: $0, as: UTF8.self) })
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(config.clusters[1].cluster.insecureSkipTLSVerify == false)
        #expect(config.clusters[1].cluster.proxyURL == "http://proxy.example.com:3128")
        #expect(config.contexts[0].context.namespace == "spark-applications")
        #expect(config.contexts[1].context.namespace == nil)
        let exec = try #require(config.users[0].user.exec)
        #expect(exec.command == "aws")
        #expect(exec.args == ["--region", "us-west-2", "eks", "get-token", "--cluster-name", "prod"])
        #expect(exec.env == [.init(name: "AWS_PROFILE", value: "prod"), .init(name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional")])
        #expect(exec.provideClusterInfo == false)
        #expect(config.users[1].user.token == "0123456789abcdef")
        #expect(config.users[1].user.exec == nil)
    }
}
