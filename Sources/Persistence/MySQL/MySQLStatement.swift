import Foundation
internal import CMariaDB

/// Owns one server-side prepared `MYSQL_STMT*` and keeps its connection alive. Not `Sendable`.
final class MySQLStatement {
    private let handle: MySQLHandle
    private let pointer: UnsafeMutablePointer<MYSQL_STMT>
    private let parameterCount: Int

    init(_ handle: MySQLHandle, sql: String) throws(SQLError) {
        guard let statement = mysql_stmt_init(handle.pointer) else { throw handle.error("mysql_stmt_init") }
        if mysql_stmt_prepare(statement, sql, UInt(sql.utf8.count)) != 0 {
            let error = Self.error(statement, "mysql_stmt_prepare")
            mysql_stmt_close(statement)
            throw error
        }
        // Lets `mysql_stmt_store_result` size every column, so result buffers fit on the first fetch.
        var updateMaxLength: my_bool = 1
        _ = mysql_stmt_attr_set(statement, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength)
        self.handle = handle
        self.pointer = statement
        self.parameterCount = Int(mysql_stmt_param_count(statement))
    }

    deinit {
        mysql_stmt_close(pointer)
    }

    static func error(_ statement: UnsafeMutablePointer<MYSQL_STMT>, _ function: String) -> SQLError {
        let code = Int(mysql_stmt_errno(statement))
        return SQLError(
            kind: MySQLHandle.kind(code), function: function, code: code, message: String(cString: mysql_stmt_error(statement)))
    }

    /// Binds `parameters`, executes, and returns the matched-row count and any result rows.
    func run(_ parameters: [SQLValue]) throws(SQLError) -> (affected: Int, rows: [SQLRow]) {
        guard parameters.count == parameterCount else {
            throw SQLError(
                kind: .other, function: "mysql_stmt_bind_param", code: 0,
                message: "statement takes \(parameterCount) parameters, got \(parameters.count)")
        }
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: max(1, parameters.count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, parameters.count))
        let lengths = UnsafeMutablePointer<UInt>.allocate(capacity: max(1, parameters.count))
        var buffers: [UnsafeMutableRawPointer] = []
        defer {
            for buffer in buffers { buffer.deallocate() }
            binds.deinitialize(count: max(1, parameters.count))
            binds.deallocate()
            lengths.deallocate()
        }
        for (index, value) in parameters.enumerated() {
            switch value {
            case .null:
                binds[index].buffer_type = MYSQL_TYPE_NULL
            case .integer(let number):
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
                buffer.storeBytes(of: number, as: Int64.self)
                buffers.append(buffer)
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
                binds[index].buffer = buffer
                binds[index].buffer_length = 8
            case .real(let number):
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
                buffer.storeBytes(of: number, as: Double.self)
                buffers.append(buffer)
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
                binds[index].buffer = buffer
                binds[index].buffer_length = 8
            case .text(let text):
                var copy = text
                let count = copy.utf8.count
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(1, count), alignment: 1)
                copy.withUTF8 { source in
                    if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
                }
                buffers.append(buffer)
                lengths[index] = UInt(count)
                binds[index].buffer_type = MYSQL_TYPE_STRING
                binds[index].buffer = buffer
                binds[index].buffer_length = UInt(count)
                binds[index].length = lengths + index
            }
        }
        if parameterCount > 0, mysql_stmt_bind_param(pointer, binds) != 0 {
            throw Self.error(pointer, "mysql_stmt_bind_param")
        }
        guard mysql_stmt_execute(pointer) == 0 else { throw Self.error(pointer, "mysql_stmt_execute") }
        guard let metadata = mysql_stmt_result_metadata(pointer) else {
            return (Int(mysql_stmt_affected_rows(pointer)), [])
        }
        defer {
            mysql_free_result(metadata)
            mysql_stmt_free_result(pointer)
        }
        return (0, try fetchRows(metadata))
    }

    private enum ColumnKind { case integer, real, text }

    private func fetchRows(_ metadata: UnsafeMutablePointer<MYSQL_RES>) throws(SQLError) -> [SQLRow] {
        guard mysql_stmt_store_result(pointer) == 0 else { throw Self.error(pointer, "mysql_stmt_store_result") }
        let count = Int(mysql_num_fields(metadata))
        guard count > 0, let fields = mysql_fetch_fields(metadata) else { return [] }
        let binds = UnsafeMutablePointer<MYSQL_BIND>.allocate(capacity: count)
        binds.initialize(repeating: MYSQL_BIND(), count: count)
        let lengths = UnsafeMutablePointer<UInt>.allocate(capacity: count)
        let nulls = UnsafeMutablePointer<my_bool>.allocate(capacity: count)
        let errors = UnsafeMutablePointer<my_bool>.allocate(capacity: count)
        var kinds: [ColumnKind] = []
        var buffers: [UnsafeMutableRawPointer] = []
        defer {
            for buffer in buffers { buffer.deallocate() }
            binds.deinitialize(count: count)
            binds.deallocate()
            lengths.deallocate()
            nulls.deallocate()
            errors.deallocate()
        }
        for index in 0..<count {
            let field = fields[index]
            let kind: ColumnKind
            let size: Int
            switch field.type {
            case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_INT24, MYSQL_TYPE_YEAR:
                kind = .integer
                size = 8
                binds[index].buffer_type = MYSQL_TYPE_LONGLONG
            case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
                kind = .real
                size = 8
                binds[index].buffer_type = MYSQL_TYPE_DOUBLE
            default:
                kind = .text
                size = max(Int(field.max_length), 64) + 1
                binds[index].buffer_type = MYSQL_TYPE_STRING
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            buffers.append(buffer)
            kinds.append(kind)
            binds[index].buffer = buffer
            binds[index].buffer_length = UInt(size)
            binds[index].length = lengths + index
            binds[index].is_null = nulls + index
            binds[index].error = errors + index
        }
        guard mysql_stmt_bind_result(pointer, binds) == 0 else { throw Self.error(pointer, "mysql_stmt_bind_result") }
        var rows: [SQLRow] = []
        while true {
            let result = mysql_stmt_fetch(pointer)
            if result == MYSQL_NO_DATA { return rows }
            guard result == 0 || result == MYSQL_DATA_TRUNCATED else { throw Self.error(pointer, "mysql_stmt_fetch") }
            var values: [SQLValue] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                if nulls[index] != 0 {
                    values.append(.null)
                    continue
                }
                switch kinds[index] {
                case .integer: values.append(.integer(buffers[index].load(as: Int64.self)))
                case .real: values.append(.real(buffers[index].load(as: Double.self)))
                case .text:
                    let length = Int(lengths[index])
                    if length <= Int(binds[index].buffer_length) {
                        let bytes = UnsafeRawBufferPointer(start: buffers[index], count: length)
                        values.append(.text(String(decoding: bytes, as: UTF8.self)))
                    } else {
                        values.append(.text(try fetchLongColumn(index, length: length)))
                    }
                }
            }
            rows.append(SQLRow(values: values))
        }
    }

    /// Reads a column that did not fit its buffer (should not happen with max-length sizing).
    private func fetchLongColumn(_ index: Int, length: Int) throws(SQLError) -> String {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 1)
        defer { buffer.deallocate() }
        var bind = MYSQL_BIND()
        var fetched: UInt = 0
        bind.buffer_type = MYSQL_TYPE_STRING
        bind.buffer = buffer
        bind.buffer_length = UInt(length)
        return try withUnsafeMutablePointer(to: &fetched) { (fetchedPointer) throws(SQLError) -> String in
            bind.length = fetchedPointer
            guard mysql_stmt_fetch_column(pointer, &bind, UInt32(index), 0) == 0 else {
                throw Self.error(pointer, "mysql_stmt_fetch_column")
            }
            return String(decoding: UnsafeRawBufferPointer(start: buffer, count: min(length, Int(fetchedPointer.pointee))), as: UTF8.self)
        }
    }
}
