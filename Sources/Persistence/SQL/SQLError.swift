/// A database failure as the connection layer sees it, before the store names the operation.
struct SQLError: Error, Sendable {
    enum Kind: Sendable {
        /// The connection is gone (or never came up); the statement may or may not have run.
        case connectionLost
        /// Connecting failed: nothing was sent, so retrying is always safe.
        case connectFailed
        /// A unique key rejected the row.
        case duplicateKey
        /// Deadlock or lock wait timeout: the transaction was rolled back and may be retried.
        case transient
        case other
    }

    var kind: Kind
    var function: String
    var code: Int
    var message: String

    func storeError(operation: String) -> StoreError {
        let kind: StoreError.Kind =
            switch self.kind {
            case .connectionLost, .connectFailed: .connection
            default: .query
            }
        return StoreError(kind, operation: operation, function: function, code: code, message: message)
    }
}
