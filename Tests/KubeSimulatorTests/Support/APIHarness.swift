import Foundation
import JSON

@testable import KubeSimulator

/// The simulated API without a socket: requests go straight to `KubeAPI.respond(to:)`.
struct APIHarness {
    let store: ObjectStore
    let logs = PodLogStore()
    let faults = FaultInjector()
    let api: KubeAPI
    static let token = "test-token"

    init(
        historyLimit: Int = 1000, bookmarkInterval: Duration = .milliseconds(50), crd: CustomResourceDefinition? = nil,
        namespaces: Set<String>? = nil, podGracePeriodLimit: Duration = .zero, futureVersionWait: Duration = .seconds(3)
    ) {
        store = ObjectStore(historyLimit: historyLimit)
        var settings = KubeAPI.Settings()
        settings.crd = crd
        settings.namespaces = namespaces
        settings.podGracePeriodLimit = podGracePeriodLimit
        settings.futureVersionWait = futureVersionWait
        settings.bearerToken = Self.token
        settings.bookmarkInterval = bookmarkInterval
        api = KubeAPI(store: store, logs: logs, faults: faults, settings: settings)
    }

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
        /// The watch events of a streamed body.
        var events: [WatchEvent] {
            text.split(separator: "\n").compactMap { line in
                guard let value = try? JSONValue(parsing: Data(line.utf8)), let type = value["type"]?.stringValue,
                    let eventType = WatchEvent.EventType(rawValue: type)
                else { return nil }
                return WatchEvent(type: eventType, object: value["object"] ?? .null)
            }
        }
    }

    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        headers: [(String, String)] = [], token: String? = APIHarness.token
    ) async throws -> Reply {
        var allHeaders = headers.map { (name: $0.0, value: $0.1) }
        if let token { allHeaders.append((name: "Authorization", value: "Bearer \(token)")) }
        let request = APIRequest(
            method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: allHeaders,
            body: body?.serialized() ?? Data())
        let response = await api.respond(to: request)
        return Reply(status: response.status, headers: response.headers, body: try await response.collectBody())
    }

    static let appsPath = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/spark/sparkapplications"

    static func sparkPi(_ name: String, labels: [String: JSONValue] = [:]) -> JSONValue {
        [
            "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
            "metadata": ["name": .string(name), "labels": .object(JSONObject(labels))],
            "spec": [
                "type": "Scala", "mode": "cluster", "sparkVersion": "3.5.3", "image": "spark:3.5.3",
                "mainClass": "org.apache.spark.examples.SparkPi",
                "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
                "arguments": ["1000"], "sparkConf": ["spark.ui.enabled": "true"],
                "driver": ["cores": 1, "memory": "512m", "serviceAccount": "spark"],
                "executor": ["cores": 1, "instances": 2, "memory": "512m"],
            ],
        ]
    }
}
