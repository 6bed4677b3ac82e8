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

    private static func column(_ name: String, _ type: String, format: String = "", _ description: String, priority: Int = 0) -> JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description), "priority": .int(priority)]
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
        case .events:
            // The API server's event columns: `kubectl get events` shows the priority-0 ones,
            // `-o wide` all of them.
            columns = [
                column("Last Seen", "string", "Time when this Event was last seen"), column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
                column("Reason", "string", "Reason why the action was taken. It is human-readable. This field can have at most 128 characters."),
                column("Object", "string", "The object that this event is about. Mapped from the event's involvedObject."),
                column("Subobject", "string", "The subobject that this event is about.", priority: 1),
                column("Source", "string", "The component reporting this event. Should be a short machine understandable string.", priority: 1),
                column("Message", "string", "A human-readable description of the status of this operation."),
                column("First Seen", "string", "The time at which the event was first recorded.", priority: 1),
                column("Count", "string", "The number of times this event has occurred.", priority: 1),
                column("Name", "string", format: "name", "Name must be unique within a namespace.", priority: 1),
            ]
            cells = { object in
                let kind = object[path: ["involvedObject", "kind"]]?.stringValue?.lowercased() ?? ""
                let involved = object[path: ["involvedObject", "name"]]?.stringValue ?? ""
                var source = object[path: ["source", "component"]]?.stringValue ?? object["reportingComponent"]?.stringValue ?? ""
                if let host = object[path: ["source", "host"]]?.stringValue, !host.isEmpty { source += ", \(host)" }
                return [
                    .string(since(object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue)),
                    object["type"] ?? "", object["reason"] ?? "", .string("\(kind)/\(involved)"),
                    object[path: ["involvedObject", "fieldPath"]] ?? "", .string(source), object["message"] ?? "",
                    .string(since(object["firstTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue)),
                    .int(object["count"]?.intValue ?? 1), .string(object.name),
                ]
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
        since(object[path: ["metadata", "creationTimestamp"]]?.stringValue, now: now)
    }

    /// The time since an RFC 3339 timestamp, as kubectl prints it; `<unknown>` without one.
    static func since(_ timestamp: String?, now: Date = Date()) -> String {
        guard let text = timestamp, let created = try? Date(text, strategy: .iso8601) else { return "<unknown>" }
        let seconds = max(Int(now.timeIntervalSince(created)), 0)
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 48 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }
}
