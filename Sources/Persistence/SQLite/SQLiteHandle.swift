internal import CSQLite

/// Owns one `sqlite3*`; statements retain it so it closes only after the last one is finalized.
/// Confined to the thread of its `SQLiteConnection`; not `Sendable`.
final class SQLiteHandle {
    let pointer: OpaquePointer

    init(path: String, flags: Int32) throws(SQLError) {
        var handle: OpaquePointer?
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite3_close_v2(handle) }
            throw SQLError(kind: .connectFailed, function: "sqlite3_open_v2", code: Int(result), message: message)
        }
        self.pointer = handle
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        sqlite3_close_v2(pointer)
    }

    func error(_ function: String, _ result: Int32) -> SQLError {
        let code = Int(sqlite3_extended_errcode(pointer))
        let kind: SQLError.Kind =
            switch code {
            case 1555, 2067: .duplicateKey  // SQLITE_CONSTRAINT_PRIMARYKEY, SQLITE_CONSTRAINT_UNIQUE
            case _ where code & 0xff == Int(SQLITE_BUSY) || code & 0xff == Int(SQLITE_LOCKED): .transient
            default: .other
            }
        return SQLError(kind: kind, function: function, code: code, message: String(cString: sqlite3_errmsg(pointer)))
    }
}
