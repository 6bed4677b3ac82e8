import Foundation
import JSON

/// `Data` in Kubernetes JSON is base64 (a Secret's `data`), as `JSONDecoder` reads it by default.
extension Data: JSONStringDecodable {
    public init?(jsonString string: String) {
        self.init(base64Encoded: string)
    }
}
