import Foundation
import GatewayCore
import Testing

/// The cases of BPG's `KubernetesHelperTest`, `ApplicationSubmissionHelperTest`, `SparkSpecHelperTest`,
/// `DateTimeUtilsTest`, `ConfigValueTest` (docs/bpg-compatibility.md, "Upstream test cases we reproduce").
struct HelperTableTests {
    @Test(arguments: [
        ("", ""), ("0", "0"), ("9", "9"), ("a", "a"), ("z", "z"), ("A", "A"), ("Z", "Z"),
        (String(repeating: "a", count: 63), String(repeating: "a", count: 63)),
        (String(repeating: "a", count: 63) + "1", String(repeating: "a", count: 63)),
        ("0aAzZ_-.9", "0aAzZ_-.9"), (" ", "0"), ("  ", "00"), ("--", "00"), ("__", "00"),
        ("_0aAzZ_-.9_", "00aAzZ_-.90"), ("0aAzZ_-.!@ 9", "0aAzZ_-.0009"),
    ])
    func normalizeLabelValue(input: String, expected: String) {
        #expect(GatewayLabels.normalizeLabelValue(input) == expected)
    }

    @Test(arguments: [
        ("queue1", "queue1"), ("parent.queue1", "parent.queue1"), ("parent..queue1", "parent.queue1"),
        ("parent..queue1...", "parent.queue1"), ("...parent..queue1..", "parent.queue1"), (".x.", "x"),
    ])
    func normalizeQueue(input: String, expected: String) {
        #expect(ResolvedQueue.normalize(input) == expected)
    }

    @Test func normalizeQueueOfOnlyDotsIsNil() {
        #expect(ResolvedQueue.normalize("...") == nil)
    }

    // MARK: getSparkConf

    struct ConfCase: Sendable, CustomTestStringConvertible {
        var name: String
        var defaults: [String: String]?
        var cluster: [String: String]?
        var request: [String: String]?
        var fixed: [String: String]? = nil
        var applicationName: String? = nil
        var expected: [String: String]?
        var testDescription: String { name }
    }

    static let confCases: [ConfCase] = {
        let c2 = ["key1": "value1", "key2": "value2"]
        let d2 = ["defaultKey1": "defaultValue1", "defaultKey2": "defaultValue2"]
        var cases: [ConfCase] = []
        for (label, defaults) in [("null defaults", nil), ("empty defaults", [String: String]())] as [(String, [String: String]?)] {
            let layered = defaults ?? [:]
            cases += [
                .init(name: "\(label): no layers", defaults: defaults, cluster: nil, request: nil, expected: defaults == nil ? nil : [:]),
                .init(name: "\(label): cluster {}", defaults: defaults, cluster: [:], request: nil, expected: [:]),
                .init(name: "\(label): cluster keys", defaults: defaults, cluster: c2, request: nil, expected: c2.merging(layered) { a, _ in a }),
                .init(name: "\(label): request {}", defaults: defaults, cluster: c2, request: [:], expected: c2),
                .init(
                    name: "\(label): request overrides", defaults: defaults, cluster: c2,
                    request: ["key2": "value2_overwrite", "key3": "value3"],
                    expected: ["key1": "value1", "key2": "value2_overwrite", "key3": "value3"]),
                .init(
                    name: "\(label): applicationName", defaults: defaults, cluster: c2,
                    request: ["key2": "value2_overwrite", "key3": "value3"], applicationName: "app1",
                    expected: ["key1": "value1", "key2": "value2_overwrite", "key3": "value3", "spark.app.name": "app1"]),
                .init(
                    name: "\(label): placeholder in cluster", defaults: defaults,
                    cluster: ["key-with-submission-id": "value-{spark-application-resource-name}"], request: nil,
                    expected: ["key-with-submission-id": "value-submission1"]),
            ]
        }
        cases += [
            .init(name: "defaults alone", defaults: d2, cluster: nil, request: nil, expected: d2),
            .init(name: "defaults + cluster", defaults: d2, cluster: c2, request: nil, expected: d2.merging(c2) { _, b in b }),
            .init(
                name: "cluster overrides default", defaults: d2, cluster: ["defaultKey2": "clusterValue2"], request: nil,
                expected: ["defaultKey1": "defaultValue1", "defaultKey2": "clusterValue2"]),
            .init(
                name: "request overrides default", defaults: d2, cluster: nil, request: ["defaultKey1": "requestValue1"],
                expected: ["defaultKey1": "requestValue1", "defaultKey2": "defaultValue2"]),
            .init(
                name: "placeholder in defaults and cluster",
                defaults: ["d": "value-{spark-application-resource-name}"],
                cluster: ["c": "value2-{spark-application-resource-name}"], request: nil,
                expected: ["d": "value-submission1", "c": "value2-submission1"]),
            .init(
                name: "fixed beats defaults and request", defaults: d2, cluster: nil,
                request: ["defaultKey1": "requestValue1"], fixed: ["defaultKey1": "fixedValue1", "defaultKey2": "fixedValue2"],
                expected: ["defaultKey1": "fixedValue1", "defaultKey2": "fixedValue2"]),
            .init(
                name: "spark.app.name beats fixed", defaults: nil, cluster: nil, request: nil,
                fixed: ["spark.app.name": "fixed"], applicationName: "mine", expected: ["spark.app.name": "mine"]),
        ]
        return cases
    }()

    @Test(arguments: confCases)
    func sparkConfLayering(_ c: ConfCase) {
        let merged = SparkConfMerger.merge(
            defaults: c.defaults, cluster: c.cluster, request: c.request, fixed: c.fixed,
            applicationName: c.applicationName, submissionId: "submission1", customImage: false)
        #expect(merged == c.expected)
    }

    @Test(arguments: [(nil, false), ("Off", false), ("on", true), ("On", true)] as [(String?, Bool)])
    func rangerKeysDroppedForCustomImagesUnlessGateIsOn(gate: String?, kept: Bool) {
        var defaults = ["spark.sql.extensions": "ranger", "spark.ranger.plugin.spark.env": "x", "other": "y"]
        defaults["RangerOnCustomImage"] = gate
        let merged = SparkConfMerger.merge(
            defaults: defaults, cluster: nil, request: nil, fixed: nil, applicationName: nil, submissionId: "s",
            customImage: true)
        #expect((merged?["spark.sql.extensions"] != nil) == kept)
        #expect((merged?["spark.ranger.plugin.spark.env"] != nil) == kept)
        #expect(merged?["other"] == "y")
        #expect(merged?["RangerOnCustomImage"] == gate)
    }

    // MARK: getVolumes

    @Test func volumesNeitherRequestNorCluster() {
        #expect(SparkApplicationTranslator.volumes(request: nil, cluster: nil) == nil)
        #expect(SparkApplicationTranslator.volumes(request: [], cluster: []) == nil)
    }

    @Test func volumesFromClusterInOrder() {
        let cluster = [
            Volume(name: "volume1", hostPath: .init(path: "/path1", type: "Directory")),
            Volume(name: "volume2", hostPath: .init(path: "/path2")),
        ]
        #expect(SparkApplicationTranslator.volumes(request: nil, cluster: cluster) == cluster)
    }

    @Test func volumesFromRequestOnlyAndNotDuplicatedBPGBugFixed() {
        let cluster = [Volume(name: "volume1", hostPath: .init(path: "/path1"))]
        let request = [Volume(name: "volume5", hostPath: .init(path: "/path5")), Volume(name: "volume6", hostPath: .init(path: "/path6"))]
        #expect(SparkApplicationTranslator.volumes(request: request, cluster: cluster) == request)
    }

    // MARK: copyEnv / populateEnv

    @Test func copyEnvSequence() {
        var destination: [EnvVar]? = []
        EnvMerger.merge([], into: &destination)
        #expect(destination == [])
        EnvMerger.merge([EnvVar(name: "key1", value: "value1"), EnvVar(name: "key2", value: "value2")], into: &destination)
        #expect(destination == [EnvVar(name: "key1", value: "value1"), EnvVar(name: "key2", value: "value2")])
        EnvMerger.merge([EnvVar(name: "key1", value: "value1"), EnvVar(name: "key2", value: "value2a")], into: &destination)
        #expect(destination == [EnvVar(name: "key1", value: "value1"), EnvVar(name: "key2", value: "value2a")])
        EnvMerger.merge([EnvVar(name: "key1", value: "value1a"), EnvVar(name: "key3", value: "value3")], into: &destination)
        #expect(destination?.map(\.value) == ["value1a", "value2a", "value3"])
        EnvMerger.merge([EnvVar(name: "key1", value: "value1b"), EnvVar(name: "key1", value: "value1c")], into: &destination)
        #expect(destination?.count == 3 && destination?[0].value == "value1c")
        let fieldRef = EnvVar.Source(fieldRef: .init(fieldPath: "status.hostIP"))
        EnvMerger.merge(
            [EnvVar(name: "key1", value: "value1b"), EnvVar(name: "key1", value: "value1d", valueFrom: fieldRef)],
            into: &destination)
        #expect(destination?[0] == EnvVar(name: "key1", value: "value1d", valueFrom: fieldRef))
    }

    @Test func populateEnvLayersClusterThenRequest() throws {
        var config = Fixtures.configuration(clusters: [Fixtures.cluster("c01")])
        func env(_ pairs: [(String, String)]) -> [EnvVar] { pairs.map { EnvVar(name: $0.0, value: $0.1) } }
        func translate(_ request: SubmitApplicationRequest) throws -> SparkApplicationSpec {
            let planner = SubmissionPlanner(configuration: config)
            var random = SeededRandomNumberGenerator(seed: 3)
            let plan = try planner.plan(request, user: "u", using: &random)
            return plan.application(on: plan.candidates[0], submissionId: "c01-x").spec
        }
        var request = Fixtures.request()
        var spec = try translate(request)
        #expect(spec.driver.env == nil && spec.executor.env == nil)

        config.sparkClusters[0].driver = SparkPodSpec(env: env([("env1", "value1"), ("env2", "value2")]))
        spec = try translate(request)
        #expect(spec.driver.env == env([("env1", "value1"), ("env2", "value2")]))
        #expect(spec.executor.env == nil)

        config.sparkClusters[0].executor = SparkPodSpec(env: env([("env3", "value3"), ("env4", "value4")]))
        spec = try translate(request)
        #expect(spec.executor.env == env([("env3", "value3"), ("env4", "value4")]))

        request.driver = SparkPodSpec(env: env([("env2", "value2_overwrite"), ("env3", "value3")]))
        request.executor = SparkPodSpec(env: env([("env4", "value4_overwrite"), ("env5", "value5")]))
        spec = try translate(request)
        #expect(spec.driver.env == env([("env1", "value1"), ("env2", "value2_overwrite"), ("env3", "value3")]))
        #expect(spec.executor.env == env([("env3", "value3"), ("env4", "value4_overwrite"), ("env5", "value5")]))
    }

    // MARK: DateTimeUtils

    @Test(arguments: [
        (nil, nil), ("", nil), ("2020-11-25", nil), ("2020-11-25T21:48:56Z", 1_606_340_936_000),
        ("2020-11-25T21:48:56z", 1_606_340_936_000), ("2020-11-25T21:48:56.123Z", 1_606_340_936_123),
        ("2020-11-25T22:48:56+01:00", 1_606_340_936_000), ("garbage-garbage-garbage", nil),
    ] as [(String?, Int64?)])
    func timestamps(text: String?, millis: Int64?) {
        #expect(Timestamp.epochMillis(text) == millis)
    }

    // MARK: ConfigValue

    @Test(arguments: [
        ("", SecretReference.literal("")), ("abc123", .literal("abc123")), ("plaintext:abc123", .plaintext("abc123")),
        ("localhost:env:HOME", .environment("HOME")),
        ("k8s:secret:ns:name:key", .kubernetesSecret(namespace: "ns", name: "name", key: "key")),
        ("k8s:secret::name:key", .kubernetesSecret(namespace: "", name: "name", key: "key")),
        ("k8s:secret:invalid_value", .literal("k8s:secret:invalid_value")),
    ])
    func secretReferences(text: String, expected: SecretReference) {
        let reference = SecretReference(parsing: text)
        #expect(reference == expected)
        #expect(reference.encoded == text)
    }

    @Test func secretDescriptionsNeverShowValues() {
        #expect(!String(describing: SecretReference(parsing: "plaintext:hunter2")).contains("hunter2"))
        #expect(!String(describing: SecretReference(parsing: "hunter2")).contains("hunter2"))
        #expect(String(describing: SecretReference(parsing: "localhost:env:DB_PASSWORD")).contains("DB_PASSWORD"))
    }

    // MARK: looksLikeFilePath

    @Test(arguments: [
        ("~/Downloads/cool_stuff.txt", true), ("/Users/tim/Downloads", true), ("c/x", true),
        (Fixtures.workedExampleRequest, false), ("sparkVersion: \"3.2\"\nmainApplicationFile: s3a://b/app.py", false),
        ("@/tmp/x.json", false), ("./a/b", false), ("/a b/c", false),
    ])
    func looksLikeFilePath(text: String, expected: Bool) {
        #expect(SubmitApplicationRequest.looksLikeFilePath(text) == expected)
    }
}
