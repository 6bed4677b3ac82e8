import Foundation
import JSON

/// Building the OpenAPI document readably, with Swift literals.
extension JSONValue {
    /// This object with `key` set (objects only; other values are returned unchanged).
    func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object[key] = value
        return .object(object)
    }

    /// Pretty JSON with sorted keys, so the served document is stable byte for byte.
    func jsonData() -> Data {
        Data(jsonBytes(JSONFormat(sortedKeys: true, prettyPrinted: true)))
    }
}
