internal import CGatewayShims
internal import CMariaDB

/// Process-wide client library setup: `mysql_server_init` must run once before threads use the client.
enum MySQLLibrary {
    private static let initialized: Int32 = gw_mysql_library_init()

    static func initialize() throws(SQLError) {
        guard initialized == 0 else {
            throw SQLError(kind: .connectFailed, function: "mysql_server_init", code: Int(initialized), message: "client library initialisation failed")
        }
    }

    /// Runs on each thread the store owns, before its first client call.
    static func threadStart() { _ = mysql_thread_init() }
    /// Runs on each thread the store owns, after its last client call.
    static func threadEnd() { mysql_thread_end() }
}
