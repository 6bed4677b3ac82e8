import Foundation
import JSON

/// The verified claims of a token: the decoded JSON object and the raw payload bytes.
public struct JWTClaims: Sendable {
    /// Every claim by name.
    public let values: [String: JSONValue]
    /// The payload exactly as signed (JSON, UTF-8).
    public let payload: Data

    /// A claim by name.
    public subscript(name: String) -> JSONValue? { values[name] }

    /// `iss`, when it is a string.
    public var issuer: String? { values["iss"]?.stringValue }
    /// `sub`, when it is a string.
    public var subject: String? { values["sub"]?.stringValue }
    /// `exp` as a date, when present and numeric.
    public var expiresAt: Date? { date("exp") }
    /// `nbf` as a date, when present and numeric.
    public var notBefore: Date? { date("nbf") }
    /// `iat` as a date, when present and numeric.
    public var issuedAt: Date? { date("iat") }

    /// Decodes the payload into a `Decodable` type.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder().decode(type, from: payload)
    }

    private func date(_ name: String) -> Date? {
        values[name]?.doubleValue.map { Date(timeIntervalSince1970: $0) }
    }
}
