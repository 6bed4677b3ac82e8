/// A type whose JSON form is a string the type parses itself, such as Foundation's `Data` as base64:
/// the decoder hands it the string. (This module has no Foundation; a module that does adds the
/// conformance, `extension Data: JSONStringDecodable`.)
public protocol JSONStringDecodable {
    /// The value for `string`; `nil` when the string is not a valid representation.
    init?(jsonString string: String)
}
