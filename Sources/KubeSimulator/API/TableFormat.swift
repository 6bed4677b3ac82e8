import Foundation
import JSON

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), which `kubectl get`
/// asks for: SparkApplications get the CRD's printer columns, pods kubectl's usual ones, the rest
/// name and age.
enum TableFormat {
    static func isRequested(_ request: APIRequest) -> Bool {
        guard let accept = request.header("Accept") else { return false }
        return accept.split(separator: ",").contains { part in
            let parameters = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            return parameters.contains("as=Table") && parameters.contains("g=meta.k8s.io")
                && (parameters.contains("v=v1") || parameters.contains("v=v1beta1"))
        }
    }

    private static func column(_ name: String, _ type: String, format: String = "", _ description: String) -> JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description), "priority": 0]
    }

    static func table(for resource: ResourceType, objects: [JSONValue], resourceVersion: Int?, continueToken: String?) -> JSONValue {
        let name = column("Name", "string", format: "name", "Name must be unique within a namespace.")
        let columns: [JSONValue]
        let cells: (JSONValue) -> [JSONValue]
        switch resource {
        case .sparkApplications:
            columns = [
                name, column("Suspend", "boolean", ".spec.suspend"), column("Status", "string", ".status.applicationState.state"),
                column("Attempts", "string", ".status.executionAttempts"), column("Start", "string", ".status.lastSubmissionAttemptTime"),
                column("Finish", "string", ".status.terminationTime"), column("Age", "date", ".metadata.creationTimestamp"),
            ]
            cells = { object in
                [
                    .string(object.name), object[path: ["spec", "suspend"]] ?? .null,
                    object[path: ["status", "applicationState", "state"]] ?? .null,
                    object[path: ["status", "executionAttempts"]].map { .string($0.intValue.map(String.init) ?? "") } ?? .null,
                    object[path: ["status", "lastSubmissionAttemptTime"]] ?? .null, object[path: ["status", "terminationTime"]] ?? .null,
                    .string(age(object)),
                ]
            }
        case .pods:
            columns = [
                name, column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
                column("Status", "string", "The aggregate status of the containers in this pod."),
                column("Restarts", "string", "The number of times the containers in this pod have been restarted."),
                column("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created."),
            ]
            cells = { object in
                let phase = object[path: ["status", "phase"]]?.stringValue ?? ""
                let ready = phase == "Running" ? "1/1" : "0/1"
                let status = phase == "Succeeded" ? "Completed" : phase == "Failed" ? "Error" : phase
                return [.string(object.name), .string(ready), .string(status), "0", .string(age(object))]
            }
        default:
            columns = [name, column("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created.")]
            cells = { object in [.string(object.name), object[path: ["metadata", "creationTimestamp"]] ?? .null] }
        }
        let rows: [JSONValue] = objects.map { object in
            var metadata = object["metadata"] ?? [:]
            metadata["managedFields"] = nil
            return [
                "cells": .array(cells(object)),
                "object": ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata],
            ]
        }
        var listMetadata: JSONValue = [:]
        if let resourceVersion { listMetadata["resourceVersion"] = .string(String(resourceVersion)) }
        if let continueToken { listMetadata["continue"] = .string(continueToken) }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": listMetadata, "columnDefinitions": .array(columns),
            "rows": .array(rows),
        ]
    }

    /// kubectl's short human duration ("42s", "7m", "3h", "5d").
    static func age(_ object: JSONValue, now: Date = Date()) -> String {
        guard let text = object[path: ["metadata", "creationTimestamp"]]?.stringValue,
            let created = try? Date(text, strategy: .iso8601)
        else { return "<unknown>" }
        let seconds = max(Int(now.timeIntervalSince(created)), 0)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 48 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
