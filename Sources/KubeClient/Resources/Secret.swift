import Foundation

/// A core `v1` Secret. `data` values arrive base64-encoded and are decoded here; the `description`
/// lists key names only, never values.
public struct Secret: KubeObject, CustomStringConvertible, CustomDebugStringConvertible {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var type: String?
    /// Decoded values, by key.
    public var data: [String: Data]?

    public init(metadata: ObjectMeta, type: String? = nil, data: [String: Data]? = nil) {
        self.apiVersion = "v1"
        self.kind = "Secret"
        self.metadata = metadata
        self.type = type
        self.data = data
    }

    public var description: String {
        let keys = (data ?? [:]).keys.sorted().joined(separator: ", ")
        return "Secret(\(metadata.namespace ?? "")/\(metadata.name ?? ""), keys: [\(keys)])"
    }

    public var debugDescription: String { description }
}
