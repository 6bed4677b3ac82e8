/// An HTTP request method, always uppercase (`GET`, `POST`, …).
///
/// Any token is accepted so that unusual methods reach the router (which answers 405), but the
/// common ones have constants.
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The method token in uppercase, for example `"GET"`.
    public var rawValue: String

    /// Creates a method from a token; it is uppercased so `"get"` and `"GET"` are the same method.
    public init(rawValue: String) {
        self.rawValue = rawValue.uppercased()
    }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let head = HTTPMethod(rawValue: "HEAD")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let options = HTTPMethod(rawValue: "OPTIONS")

    public var description: String { rawValue }
}
