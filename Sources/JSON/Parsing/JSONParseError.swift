/// Why a JSON text was rejected, where (byte offset) and inside what (a path such as
/// `$.spec.driver.env[2].name`).
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The byte offset of the offending input, from the start of the text.
    public var offset: Int
    /// What is wrong, in a few words (`"unterminated string"`, `"nesting deeper than 512"`).
    public var reason: String
    /// The members and indexes leading to the value being read, `$` for the top level.
    public var path: String

    /// An error at `offset`, inside `path`.
    public init(offset: Int, reason: String, path: String = "$") {
        self.offset = offset
        self.reason = reason
        self.path = path
    }

    public var description: String { "invalid JSON at byte \(offset) (\(path)): \(reason)" }

    /// The same error one level further in: `component` is `.key` or `[index]`.
    func inside(_ component: String) -> JSONParseError {
        var copy = self
        copy.path = "$" + component + path.dropFirst()
        return copy
    }
}
