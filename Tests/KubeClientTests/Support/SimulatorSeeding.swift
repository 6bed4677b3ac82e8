import Foundation
import JSON
import KubeSimulator

// This file imports only KubeSimulator: it writes straight into the simulated cluster's store (as
// the cluster's other clients would), also while its API server is not answering.

extension SimulatedCluster {
    func seedPod(namespace: String, name: String, phase: String = "Running", labels: [String: String] = [:]) throws {
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(JSONObject(labels.mapValues { JSONValue.string($0) }))],
            "spec": ["nodeName": "node-1", "containers": [["name": "spark-kubernetes-driver", "image": "spark:3.5.3"]]],
            "status": ["phase": .string(phase), "podIP": "10.0.0.7"],
        ]
        _ = try store.create(.pods, namespace: namespace, object: object)
    }

    func seedEvent(namespace: String, name: String, involving object: String, reason: String) throws {
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string(name)],
            "involvedObject": ["kind": "SparkApplication", "name": .string(object), "namespace": .string(namespace)],
            "reason": .string(reason), "message": "seeded", "type": "Normal",
        ]
        _ = try store.create(.events, namespace: namespace, object: event)
    }

    /// Creates a SparkApplication directly in the store (no validation, no API server needed).
    func seedApplication(namespace: String, name: String) throws {
        let object: JSONValue = [
            "apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication",
            "metadata": ["name": .string(name)], "spec": ["type": "Scala"],
        ]
        _ = try store.create(.sparkApplications, namespace: namespace, object: object)
    }

    func deleteApplicationDirectly(namespace: String, name: String) throws {
        _ = try store.delete(.sparkApplications, namespace: namespace, name: name)
    }
}
