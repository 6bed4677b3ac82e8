/// A failure of a store operation.
///
/// `description` names the operation, the database error code and the server's message; it never
/// contains a password or a query's values (query text is logged at debug only).
public struct StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Stable kinds, usable as metric labels through `kind`.
    public enum Kind: String, Sendable {
        /// Could not connect, or the connection broke and retrying did not help.
        case connection
        /// The database rejected a statement.
        case query
        /// A row with this submission id exists and records a different submission.
        case conflict
        /// Bad input (a malformed cursor, an empty name); `message` names the field.
        case invalidArgument = "invalid_argument"
        /// Bad settings (an unparsable URL, an invalid database name).
        case configuration
        /// Applying schema migrations failed.
        case migration
        /// The store was shut down.
        case closed
        /// A write may or may not have been applied: the connection broke after sending it and the
        /// database stayed unreachable for the whole retry window.
        case outcomeUnknown = "outcome_unknown"
    }

    public var kind: Kind
    /// The store operation, for example `insertSubmission`.
    public var operation: String
    /// The C function that failed, when one did (`mysql_stmt_execute`, `sqlite3_step`).
    public var function: String?
    /// The MySQL error number or SQLite result code.
    public var code: Int?
    public var message: String

    public init(_ kind: Kind, operation: String, function: String? = nil, code: Int? = nil, message: String) {
        self.kind = kind
        self.operation = operation
        self.function = function
        self.code = code
        self.message = message
    }

    public var description: String {
        var text = "store \(operation) failed (\(kind.rawValue)"
        if let function { text += ", \(function)" }
        if let code { text += ", code \(code)" }
        return text + "): " + message
    }
}
