import Foundation
import JSON
import KubeClient

// This file imports only KubeClient (and JSON), so these names are unambiguous here (KubeSimulator
// also has a public `WatchEvent` type).

typealias ClientWatchEvent<T: Sendable> = WatchEvent<T>
typealias ClientJSON = JSONValue

/// The test's SparkApplication type: typed metadata, raw spec and status.
struct SparkApplication: KubeObject, Equatable {
    var apiVersion: String? = "sparkoperator.k8s.io/v1beta2"
    var kind: String? = "SparkApplication"
    var metadata: ObjectMeta
    var spec: JSONValue
    var status: JSONValue?

    static func sparkPi(_ name: String, labels: [String: String] = [:]) -> SparkApplication {
        SparkApplication(
            metadata: ObjectMeta(name: name, labels: labels),
            spec: .object([
                "type": .string("Scala"), "mode": .string("cluster"), "sparkVersion": .string("3.5.3"),
                "image": .string("spark:3.5.3"), "mainClass": .string("org.apache.spark.examples.SparkPi"),
                "mainApplicationFile": .string("local:///opt/spark/examples/jars/spark-examples.jar"),
                "driver": .object(["cores": .int(1), "memory": .string("512m"), "serviceAccount": .string("spark")]),
                "executor": .object(["cores": .int(1), "instances": .int(1), "memory": .string("512m")]),
            ]))
    }

    var state: String? { status?["applicationState"]?["state"]?.stringValue }
}

extension WatchEvent {
    /// A short label for assertions: "added:x", "resynced:[a,b]".
    func label(_ name: (Object) -> String) -> String {
        switch self {
        case .added(let object): "added:\(name(object))"
        case .modified(let object): "modified:\(name(object))"
        case .deleted(let object): "deleted:\(name(object))"
        case .resynced(let objects): "resynced:[\(objects.map(name).sorted().joined(separator: ","))]"
        }
    }
}
