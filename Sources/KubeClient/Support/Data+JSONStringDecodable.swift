import Foundation
import JSON

/// `Data` in Kubernetes JSON is base64 (a Secret's `data`), as `JSONDecoder` reads it and
/// `JSONEncoder` writes it by default.
extension Data: JSONStringDecodable, JSONStringEncodable {
    public init?(jsonString string: String) {
        self.init(base64Encoded: string)
    }

    public var jsonString: String { base64EncodedString() }
}
