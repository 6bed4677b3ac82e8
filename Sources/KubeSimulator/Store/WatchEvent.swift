import Foundation
import JSON

/// One event on a watch stream, as `{"type": ..., "object": ...}` on the wire.
public struct WatchEvent: Sendable, Hashable {
    /// The `type` field of a watch event.
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    /// What happened.
    public var type: EventType
    /// The object after the change (the last state for DELETED; a Status for ERROR).
    public var object: JSONValue

    /// An event of `type` carrying `object`.
    public init(type: EventType, object: JSONValue) {
        self.type = type
        self.object = object
    }

    /// The event as one line of a watch response (JSON plus a newline).
    public var line: Data {
        var data = JSONValue.object(["type": .string(type.rawValue), "object": object]).serialized()
        data.append(0x0A)
        return data
    }
}

/// Which objects a list or watch selects: a namespace (or all), a label selector and a field selector.
public struct ObjectFilter: Sendable, Hashable {
    /// The namespace, or nil for all namespaces.
    public var namespace: String?
    /// Labels the objects must satisfy.
    public var labels: LabelSelector
    /// Fields the objects must satisfy.
    public var fields: FieldSelector

    /// A filter; the defaults select everything.
    public init(namespace: String? = nil, labels: LabelSelector = .everything, fields: FieldSelector = FieldSelector(terms: [])) {
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
    }

    /// Whether `object` is selected.
    public func matches(_ object: JSONValue) -> Bool {
        if let namespace, object[path: ["metadata", "namespace"]]?.stringValue != namespace { return false }
        if !fields.terms.isEmpty, !fields.matches(object) { return false }
        return labels.requirements.isEmpty || labels.matches(object.labels)
    }
}

extension JSONValue {
    /// `metadata.labels` as a dictionary of strings (non-string values are ignored).
    var labels: [String: String] {
        guard let members = self[path: ["metadata", "labels"]]?.objectValue else { return [:] }
        return members.dictionary.compactMapValues(\.stringValue)
    }

    var name: String { self[path: ["metadata", "name"]]?.stringValue ?? "" }
    var namespace: String { self[path: ["metadata", "namespace"]]?.stringValue ?? "" }
    var resourceVersion: Int { self[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int($0) } ?? 0 }
}
