/// A container environment variable: a literal `value` or a `valueFrom.fieldRef` (e.g. `status.hostIP`).
public struct EnvVar: Codable, Hashable, Sendable {
    /// Selects a field of the pod, as Kubernetes' `ObjectFieldSelector`.
    public struct FieldRef: Codable, Hashable, Sendable {
        public var fieldPath: String
        public var apiVersion: String?
        public init(fieldPath: String, apiVersion: String? = nil) {
            self.fieldPath = fieldPath
            self.apiVersion = apiVersion
        }
    }

    /// The source of a variable's value; only `fieldRef` is carried, as in BPG.
    public struct Source: Codable, Hashable, Sendable {
        public var fieldRef: FieldRef?
        public init(fieldRef: FieldRef? = nil) { self.fieldRef = fieldRef }
    }

    public var name: String
    public var value: String?
    public var valueFrom: Source?

    public init(name: String, value: String? = nil, valueFrom: Source? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}
