import Foundation
import JSON

extension JSONValue {
    /// The value as Foundation's `JSONEncoder` writes it: the reference the fast writers are checked against.
    static func encoding<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue(parsing: JSONEncoder().encode(value))
    }
}
