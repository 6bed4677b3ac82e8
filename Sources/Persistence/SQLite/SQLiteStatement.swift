internal import CGatewayShims
internal import CSQLite

/// Owns one prepared `sqlite3_stmt*` and keeps its database handle alive. Not `Sendable`.
final class SQLiteStatement {
    private let handle: SQLiteHandle
    private let pointer: OpaquePointer

    init(_ handle: SQLiteHandle, sql: String, persistent: Bool) throws(SQLError) {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sqlite3_prepare_v3(handle.pointer, sql, -1, flags, &statement, nil)
        guard result == SQLITE_OK, let statement else { throw handle.error("sqlite3_prepare_v3", result) }
        self.handle = handle
        self.pointer = statement
    }

    deinit {
        sqlite3_finalize(pointer)
    }

    private func bind(_ parameters: [SQLValue]) throws(SQLError) {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch value {
            case .null: result = sqlite3_bind_null(pointer, index)
            case .integer(let number): result = sqlite3_bind_int64(pointer, index, number)
            case .real(let number): result = sqlite3_bind_double(pointer, index, number)
            case .text(let text):
                // The explicit length keeps embedded NULs; SQLite copies the bytes (SQLITE_TRANSIENT).
                var copy = text
                result = copy.withUTF8 { bytes in
                    if let base = bytes.baseAddress, bytes.count > 0 {
                        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                            gw_sqlite3_bind_text_transient(pointer, index, $0, Int32(bytes.count))
                        }
                    }
                    return gw_sqlite3_bind_text_transient(pointer, index, "", 0)
                }
            }
            guard result == SQLITE_OK else { throw handle.error("sqlite3_bind", result) }
        }
    }

    /// Runs to completion; returns the rows changed.
    func execute(_ parameters: [SQLValue]) throws(SQLError) -> Int {
        try bind(parameters)
        defer { sqlite3_reset(pointer) }
        while true {
            let result = sqlite3_step(pointer)
            if result == SQLITE_DONE { return Int(sqlite3_changes64(handle.pointer)) }
            if result != SQLITE_ROW { throw handle.error("sqlite3_step", result) }
        }
    }

    func query(_ parameters: [SQLValue]) throws(SQLError) -> [SQLRow] {
        try bind(parameters)
        defer { sqlite3_reset(pointer) }
        var rows: [SQLRow] = []
        let columns = sqlite3_column_count(pointer)
        while true {
            let result = sqlite3_step(pointer)
            if result == SQLITE_DONE { return rows }
            guard result == SQLITE_ROW else { throw handle.error("sqlite3_step", result) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch sqlite3_column_type(pointer, column) {
                case SQLITE_NULL: values.append(.null)
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(pointer, column)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(pointer, column)))
                default:
                    let count = Int(sqlite3_column_bytes(pointer, column))
                    if let text = sqlite3_column_text(pointer, column) {
                        values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
                    } else {
                        values.append(.text(""))
                    }
                }
            }
            rows.append(SQLRow(values: values))
        }
    }
}
