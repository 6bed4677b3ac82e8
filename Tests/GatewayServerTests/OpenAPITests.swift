import Foundation
import GatewayCore
import HTTPServing
import TestSupport
import Testing

@testable import Gateway

/// The OpenAPI document cannot drift: it lists exactly the registered routes and the models' fields.
struct OpenAPITests {
    static func document(contextPath: String = "/skatev2") throws -> [String: Any] {
        let data = OpenAPIDocument.make(contextPath: contextPath, version: "1.2.3").jsonData()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func schemas() throws -> [String: [String: Any]] {
        let components = try #require(try document()["components"] as? [String: Any])
        return try #require(components["schemas"] as? [String: [String: Any]])
    }

    /// `(method, full pattern)` for every operation: the path under the server URL (the path's own
    /// `servers` entry, else the document's).
    static func operations(_ document: [String: Any]) throws -> Set<String> {
        let servers = try #require(document["servers"] as? [[String: Any]])
        let base = try #require(servers.first?["url"] as? String)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, item) in paths {
            // A path served at several roots (the Livy API) lists each as a server.
            let pathBases = ((item["servers"] as? [[String: Any]])?.compactMap { $0["url"] as? String }) ?? [base]
            for pathBase in pathBases {
                let prefix = pathBase == "/" ? "" : pathBase
                for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] where item[method] != nil {
                    operations.insert("\(method.uppercased()) \(prefix)\(path)")
                }
            }
        }
        return operations
    }

    @Test func documentIsOpenAPI303WithResolvableReferences() throws {
        let document = try Self.document()
        #expect(document["openapi"] as? String == "3.0.3")
        #expect((document["info"] as? [String: Any])?["version"] as? String == "1.2.3")
        var references: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(document)
        #expect(references.count > 30)
        for reference in references {
            #expect(reference.hasPrefix("#/"), "\(reference)")
            var node: Any? = document
            for token in reference.dropFirst(2).split(separator: "/") {
                node = (node as? [String: Any])?[String(token).replacingOccurrences(of: "~1", with: "/")]
            }
            #expect(node is [String: Any], "unresolved \(reference)")
        }
        // Unique operation ids; every path parameter in a template is declared.
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var ids: [String] = []
        for (path, item) in paths {
            for (key, value) in item where key != "parameters" && key != "servers" {
                let operation = try #require(value as? [String: Any])
                ids.append(try #require(operation["operationId"] as? String))
                let declared = ((item["parameters"] as? [[String: Any]]) ?? []) + ((operation["parameters"] as? [[String: Any]]) ?? [])
                let templated = path.split(separator: "{").dropFirst().map { String($0.prefix { $0 != "}" }) }
                for name in templated {
                    #expect(declared.contains { $0["name"] as? String == name && $0["in"] as? String == "path" }, "\(path)")
                }
                #expect((operation["responses"] as? [String: Any])?["200"] != nil, "\(path) \(key)")
            }
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func documentListsExactlyTheRegisteredRoutes() async throws {
        try await withGateway { gateway in
            // The web UI's page, assets and its listing are for the UI's own script, not an API (docs/web-ui.md).
            let api = gateway.gateway.routeTable.filter { $0.pattern != "/" && !$0.pattern.hasPrefix("/skatev2/ui") }
            #expect(api.count < gateway.gateway.routeTable.count, "the web UI is registered")
            let registered = Set(api.map(\.description))
            #expect(registered.count == api.count, "a route is registered twice")
            #expect(registered.contains("GET /metrics"))
            #expect(registered.contains("GET /skatev2/openapi.json"))

            let reply = try await gateway.send("GET", "/openapi.json", user: nil)
            #expect(reply.status == 200, "served without credentials")
            #expect(reply.header("Content-Type") == "application/json")
            let served = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
            let documented = try Self.operations(served)
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered))")
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented))")

            // Every documented operation is answered by its route (not the router's 404 or 405).
            for operation in documented {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let path = parts[1].replacingOccurrences(of: "{id}", with: "spark-cluster-a-doesnotexist")
                let answer = try await gateway.send(
                    parts[0], path, body: parts[0] == "POST" ? Data("{}".utf8) : nil, fromRoot: true)
                #expect(answer.status != 405 && !answer.text.contains("no route for"), "\(operation): \(answer.status) \(answer.text)")
            }
        }
    }

    @Test func contextPathIsTheServerURL() throws {
        let document = try Self.document(contextPath: "/api/")
        #expect((document["servers"] as? [[String: Any]])?.first?["url"] as? String == "/api")
        #expect(try Self.operations(document).contains("GET /api/spark/{id}/status"))
        #expect(try Self.operations(document).contains("GET /metrics"))
    }

    /// The fields each schema lists are exactly the fields the Swift model decodes.
    @Test(arguments: [
        ("SubmitApplicationRequest", KeyRecorder.keys(of: SubmitApplicationRequest.self)),
        ("EnvVar", KeyRecorder.keys(of: EnvVar.self)),
        ("Volume", KeyRecorder.keys(of: Volume.self)),
        ("VolumeMount", KeyRecorder.keys(of: VolumeMount.self)),
        ("SecurityContext", KeyRecorder.keys(of: SecurityContext.self)),
        ("Affinity", KeyRecorder.keys(of: Affinity.self)),
        ("PodDNSConfig", KeyRecorder.keys(of: PodDNSConfig.self)),
        ("Dependencies", KeyRecorder.keys(of: Dependencies.self)),
        ("RestartPolicy", KeyRecorder.keys(of: RestartPolicy.self)),
        ("SubmitApplicationResponse", KeyRecorder.keys(of: SubmitApplicationResponse.self)),
        ("DeleteSubmissionResponse", KeyRecorder.keys(of: DeleteSubmissionResponse.self)),
        ("GetSubmissionStatusResponse", KeyRecorder.keys(of: GetSubmissionStatusResponse.self)),
        ("GetDriverInfoResponse", KeyRecorder.keys(of: GetDriverInfoResponse.self)),
        ("SubmissionStatusEvent", KeyRecorder.keys(of: SubmissionStatusEvent.self)),
        ("GetMySubmissionsResponse", KeyRecorder.keys(of: GetMySubmissionsResponse.self)),
        ("SubmissionSummary", KeyRecorder.keys(of: SubmissionSummary.self)),
        ("SparkApplicationSpec", KeyRecorder.keys(of: SparkApplicationSpec.self)),
        ("VersionInfo", KeyRecorder.keys(of: VersionInfo.self)),
        ("HealthcheckResponse", KeyRecorder.keys(of: HealthcheckResponse.self)),
        ("ErrorResponse", KeyRecorder.keys(of: ErrorResponse.self)),
        ("ClusterHealthReport", KeyRecorder.keys(of: ClusterHealthReport.self)),
        ("ClusterHealthDetail", KeyRecorder.keys(of: ClusterHealthDetail.self)),
    ])
    func schemaFieldsMatchTheModel(schema: String, modelKeys: Set<String>) throws {
        let properties = try #require(try Self.schemas()[schema]?["properties"] as? [String: Any], "\(schema)")
        #expect(!modelKeys.isEmpty)
        #expect(Set(properties.keys) == modelKeys, "\(schema): extra \(Set(properties.keys).subtracting(modelKeys)), missing \(modelKeys.subtracting(properties.keys))")
    }

    @Test func podSpecsSplitSparkPodSpecByRole() throws {
        let schemas = try Self.schemas()
        let driver = Set(try #require(schemas["DriverSpec"]?["properties"] as? [String: Any]).keys)
        let executor = Set(try #require(schemas["ExecutorSpec"]?["properties"] as? [String: Any]).keys)
        let model = KeyRecorder.keys(of: SparkPodSpec.self)
        #expect(driver.union(executor) == model)
        #expect(model.subtracting(driver) == ["instances", "deleteOnTermination"])
        #expect(model.subtracting(executor) == ["podName", "kubernetesMaster"])
    }

    /// The errors of BPG's checked-in spec (docs/bpg-compatibility.md, "OpenAPI document") are not
    /// repeated.
    @Test func bpgSpecErrorsAreFixed() throws {
        let schemas = try Self.schemas()
        let request = try #require(schemas["SubmitApplicationRequest"])
        let properties = try #require(request["properties"] as? [String: [String: Any]])
        #expect(properties["sparkConf"] != nil)
        #expect(properties["annotations"] == nil)
        #expect(request["additionalProperties"] as? Bool == false, "unknown top-level fields are a 400")
        for pod in ["DriverSpec", "ExecutorSpec"] {
            #expect((schemas[pod]?["properties"] as? [String: Any])?["labels"] != nil, "\(pod)")
        }
        for hidden in ["mode", "volumes", "clusterId", "queueToken", "restartPolicy", "imagePullPolicy", "overheadFactor"] {
            #expect(properties[hidden]?["x-bpg-hidden"] as? Bool == true, "\(hidden)")
        }
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let describe = try #require(paths["/spark/{id}/describe"]?["get"] as? [String: Any])
        #expect(describe["requestBody"] == nil)
        #expect(paths["/spark/mySubmissions"] != nil)
        let submit = try #require(paths["/spark"]?["post"] as? [String: Any])
        let responses = try #require(submit["responses"] as? [String: Any])
        for status in ["200", "400", "401", "409", "413", "415", "503"] {
            #expect(responses[status] != nil, "POST /spark \(status)")
        }
        let parameters = try #require(submit["parameters"] as? [[String: Any]])
        #expect(parameters.contains { $0["name"] as? String == "Idempotency-Key" && $0["in"] as? String == "header" })
        #expect(parameters.contains { $0["name"] as? String == "dagUser" && $0["in"] as? String == "query" })
        let components = try #require(try Self.document()["components"] as? [String: Any])
        let security = try #require(components["securitySchemes"] as? [String: [String: Any]])
        #expect(security["basicAuth"]?["scheme"] as? String == "basic")
        #expect(security["userAccount"]?["name"] as? String == "User-Account")
        #expect(security["userAccount"]?["in"] as? String == "header")
    }
}

/// A `Decoder` that answers every question with "absent" or an empty value and records which keys
/// a type's `init(from:)` asks for at the top level: the fields the model accepts.
final class KeyRecorder: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    private(set) var keys: Set<String> = []
    private let recording: Bool

    init(recording: Bool) {
        self.recording = recording
    }

    static func keys<T: Decodable>(of type: T.Type) -> Set<String> {
        let recorder = KeyRecorder(recording: true)
        _ = try? T(from: recorder)
        return recorder.keys
    }

    func record(_ key: any CodingKey) {
        if recording { keys.insert(key.stringValue) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(recorder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Empty() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single() }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: KeyRecorder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool {
            recorder.record(key)
            return false
        }
        func decodeNil(forKey key: Key) throws -> Bool {
            recorder.record(key)
            return true
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            recorder.record(key)
            return try T(from: KeyRecorder(recording: false))
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            recorder.record(key)
            return KeyedDecodingContainer(Keyed<NestedKey>(recorder: KeyRecorder(recording: false)))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            recorder.record(key)
            return Empty()
        }
        func superDecoder() throws -> any Decoder { KeyRecorder(recording: false) }
        func superDecoder(forKey key: Key) throws -> any Decoder { KeyRecorder(recording: false) }
    }

    struct Empty: UnkeyedDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: KeyRecorder(recording: false)) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(recorder: KeyRecorder(recording: false)))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { Empty() }
        mutating func superDecoder() throws -> any Decoder { KeyRecorder(recording: false) }
    }

    struct Single: SingleValueDecodingContainer {
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { false }
        func decode(_ type: String.Type) throws -> String { "" }
        func decode(_ type: Double.Type) throws -> Double { 0 }
        func decode(_ type: Float.Type) throws -> Float { 0 }
        func decode(_ type: Int.Type) throws -> Int { 0 }
        func decode(_ type: Int8.Type) throws -> Int8 { 0 }
        func decode(_ type: Int16.Type) throws -> Int16 { 0 }
        func decode(_ type: Int32.Type) throws -> Int32 { 0 }
        func decode(_ type: Int64.Type) throws -> Int64 { 0 }
        func decode(_ type: UInt.Type) throws -> UInt { 0 }
        func decode(_ type: UInt8.Type) throws -> UInt8 { 0 }
        func decode(_ type: UInt16.Type) throws -> UInt16 { 0 }
        func decode(_ type: UInt32.Type) throws -> UInt32 { 0 }
        func decode(_ type: UInt64.Type) throws -> UInt64 { 0 }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: KeyRecorder(recording: false)) }
    }
}
