import Foundation
internal import CMariaDB

/// Owns one connected `MYSQL*`; statements retain it so it closes after the last statement.
/// Used only on the thread of its pool slot; not `Sendable`.
final class MySQLHandle {
    let pointer: UnsafeMutablePointer<MYSQL>

    /// Connects; `database` nil connects without selecting a schema.
    init(_ settings: MySQLSettings, database: String?) throws(SQLError) {
        try MySQLLibrary.initialize()
        guard let handle = mysql_init(nil) else {
            throw SQLError(kind: .connectFailed, function: "mysql_init", code: 0, message: "out of memory")
        }
        self.pointer = handle
        var connectTimeout = UInt32(clamping: max(1, settings.connectTimeout.components.seconds))
        var readTimeout = UInt32(clamping: max(1, settings.readTimeout.components.seconds))
        var writeTimeout = UInt32(clamping: max(1, settings.writeTimeout.components.seconds))
        var ok = mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout) == 0
        ok = ok && mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &readTimeout) == 0
        ok = ok && mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout) == 0
        ok = ok && mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4") == 0
        if settings.tls.mode != .disabled {
            var enforce: my_bool = 1
            ok = ok && mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &enforce) == 0
            if let ca = settings.tls.caFile { ok = ok && mysql_options(handle, MYSQL_OPT_SSL_CA, ca) == 0 }
            var verify: my_bool = settings.tls.mode == .verifyIdentity ? 1 : 0
            ok = ok && mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify) == 0
        }
        guard ok else {
            // Every stored property is set, so `deinit` closes the handle.
            throw Self.error(handle, "mysql_options")
        }
        // CLIENT_FOUND_ROWS: UPDATE reports matched rows, so an idempotent retry of an update that
        // changed nothing still counts as having found its row.
        let flags = UInt(CLIENT_FOUND_ROWS)
        guard
            mysql_real_connect(
                handle, settings.host, settings.user, settings.password, database, UInt32(settings.port), nil, flags)
                != nil
        else {
            var error = Self.error(handle, "mysql_real_connect")
            error.kind = error.kind == .other && error.code >= 2000 ? .connectFailed : error.kind
            if error.kind == .connectionLost { error.kind = .connectFailed }
            throw error
        }
        // Connector/C 3.3 falls back to plain TCP under MYSQL_OPT_SSL_ENFORCE alone when the server
        // offers no TLS; asked-for TLS must never be skipped silently, so check what we got.
        if settings.tls.mode != .disabled, mysql_get_ssl_cipher(handle) == nil {
            throw SQLError(
                kind: .other, function: "mysql_real_connect", code: 2026,
                message: "TLS was required (\(settings.tls.mode.rawValue)) but the connection is not encrypted: the server offers no TLS")
        }
    }

    deinit {
        mysql_close(pointer)
    }

    func error(_ function: String) -> SQLError { Self.error(pointer, function) }

    static func error(_ handle: UnsafeMutablePointer<MYSQL>, _ function: String) -> SQLError {
        let code = Int(mysql_errno(handle))
        return SQLError(kind: kind(code), function: function, code: code, message: String(cString: mysql_error(handle)))
    }

    /// Classifies MySQL error numbers by what the caller can do about them.
    static func kind(_ code: Int) -> SQLError.Kind {
        switch code {
        case 1062, 1586: return .duplicateKey  // ER_DUP_ENTRY, ER_DUP_ENTRY_WITH_KEY_NAME
        case 1213, 1205: return .transient  // deadlock, lock wait timeout: rolled back
        case 2002, 2003, 2005: return .connectFailed  // cannot reach the server
        // Gone or killed mid-statement, server shutting down, or (Aurora failover) now read-only:
        // drop the connection and reconnect.
        case 2006, 2013, 2055, 1053, 1927, 4031, 1290, 1836: return .connectionLost
        default: return .other
        }
    }

    /// Runs fixed statement text (session setup, DDL, transaction control): never built from values.
    func run(_ sql: String) throws(SQLError) {
        let length = UInt(sql.utf8.count)
        guard mysql_real_query(pointer, sql, length) == 0 else { throw error("mysql_real_query") }
        // Drain a result set if the statement produced one.
        if let result = mysql_store_result(pointer) { mysql_free_result(result) }
    }
}
