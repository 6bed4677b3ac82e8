import Foundation
import JSON

extension JSONValue {
    /// Compact JSON with members sorted by key (so `apiVersion`, `kind`, `metadata`, `spec`, `status`
    /// come out in the order Kubernetes prints them).
    func serialized() -> Data {
        Data(jsonBytes(JSONFormat(sortedKeys: true)))
    }
}
