internal import CGatewayShims
internal import CMicroHTTPD
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Owns one `MHD_Daemon` and the C memory it points at (PEM strings, the logger trampoline), and
/// keeps the `ServerCore` its callbacks use alive until the daemon has stopped.
///
/// `@unchecked Sendable` is safe because `HTTPServer` serialises `stop()` through its lifecycle lock
/// and calls it at most once; `port` is immutable after init.
final class MHDDaemon: @unchecked Sendable {
    private let daemon: OpaquePointer
    private let core: Unmanaged<ServerCore>
    private let logger: UnsafeMutablePointer<gw_mhd_logger>
    private let ownedStrings: [UnsafeMutablePointer<CChar>]
    private var stopped = false
    let port: Int

    /// Starts libmicrohttpd with its epoll thread pool; throws `HTTPServerError` naming the C call.
    init(configuration: HTTPServerConfiguration, core: ServerCore) throws {
        let host = try Self.bindAddress(configuration.host)
        guard (0...65535).contains(configuration.port) else {
            throw HTTPServerError.invalidConfiguration("port", "\(configuration.port) is not in 0...65535")
        }
        guard configuration.maxBodyBytes >= 0 else {
            throw HTTPServerError.invalidConfiguration("maxBodyBytes", "must not be negative")
        }
        guard configuration.maxConnections >= 1, configuration.maxConnections <= Int(Int32.max) else {
            throw HTTPServerError.invalidConfiguration("maxConnections", "must be at least 1")
        }
        guard configuration.maxConnectionsPerAddress >= 0, configuration.maxConnectionsPerAddress <= Int(Int32.max) else {
            throw HTTPServerError.invalidConfiguration("maxConnectionsPerAddress", "must not be negative (0: no limit)")
        }
        guard configuration.headerTimeout > .zero else {
            throw HTTPServerError.invalidConfiguration("headerTimeout", "must be positive")
        }
        guard (1...256).contains(configuration.threadCount) else {
            throw HTTPServerError.invalidConfiguration("threadCount", "must be in 1...256")
        }
        let timeout = Self.wholeSeconds(configuration.connectionTimeout)
        guard timeout >= 1 else {
            throw HTTPServerError.invalidConfiguration("connectionTimeout", "must be positive")
        }

        var strings: [UnsafeMutablePointer<CChar>] = []
        var certificate: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
            | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if let tls = configuration.tls {
            let certificateText = try Self.readPEM(tls.certificatePath)
            let keyText = try Self.readPEM(tls.privateKeyPath)
            certificate = strdup(certificateText)
            key = strdup(keyText)
            strings = [certificate, key].compactMap { $0 }
            flags |= MHD_USE_TLS.rawValue
        }

        let core = Unmanaged.passRetained(core)
        let logger = UnsafeMutablePointer<gw_mhd_logger>.allocate(capacity: 1)
        logger.initialize(to: gw_mhd_logger(log: diagnosticLogged, context: core.toOpaque()))

        var errorCode: Int32 = 0
        let started: OpaquePointer? = host.withOptionalCString { bindAddress in
            var options = gw_mhd_daemon_options(
                flags: flags,
                port: UInt16(configuration.port),
                bind_address: bindAddress,
                thread_pool_size: UInt32(configuration.threadCount),
                connection_limit: UInt32(clamping: configuration.maxConnections + Self.reserve(configuration.maxConnections)),
                per_ip_connection_limit: UInt32(configuration.maxConnectionsPerAddress),
                // Strict: an HTTP/1.1 request without Host, and spaces in the target or in a header
                // name, are refused by libmicrohttpd itself.
                strict_for_client: 1,
                connection_timeout_seconds: UInt32(clamping: timeout),
                connection_memory_limit: 0,
                https_mem_cert: certificate,
                https_mem_key: key,
                access_handler: accessHandler,
                access_handler_context: nil,
                request_completed: requestCompleted,
                request_completed_context: nil,
                uri_log: uriLogged,
                uri_log_context: core.toOpaque(),
                notify_connection: connectionNotified,
                notify_connection_context: core.toOpaque(),
                logger: UnsafePointer(logger))
            return gw_mhd_start_daemon(&options, &errorCode)
        }
        guard let started else {
            let detail = core.takeUnretainedValue().takeLastMessage()
            logger.deallocate()
            strings.forEach { free($0) }
            core.release()
            let reason = String(cString: strerror(errorCode)) + (detail.map { " (\($0))" } ?? "")
            throw HTTPServerError.startFailed("MHD_start_daemon", reason)
        }
        self.daemon = started
        self.core = core
        self.logger = logger
        self.ownedStrings = strings
        self.port = Int(gw_mhd_daemon_bind_port(started))
        core.takeUnretainedValue().connections.start()
    }

    /// Connections accepted beyond `maxConnections` so that a new client always gets in (the guard
    /// then closes the oldest connection still waiting for its headers).
    static func reserve(_ maxConnections: Int) -> Int {
        max(16, maxConnections / 16)
    }

    /// Stops the daemon (joins its threads, closes every connection). Blocking; call it off the
    /// cooperative pool. Every suspended connection must have been resumed (`ServerCore.cutAll`).
    func stop() {
        guard !stopped else { return }
        stopped = true
        core.takeUnretainedValue().connections.stop()
        MHD_stop_daemon(daemon)  // also closes the listening socket
    }

    deinit {
        if !stopped {
            core.takeUnretainedValue().cutAll()
            stop()
        }
        logger.deallocate()
        ownedStrings.forEach { free($0) }
        core.release()
    }

    private static func bindAddress(_ host: String) throws -> String? {
        switch host {
        case "", "*": return nil
        case "localhost": return "127.0.0.1"
        default:
            var ipv4 = in_addr()
            var ipv6 = in6_addr()
            guard inet_pton(AF_INET, host, &ipv4) == 1 || inet_pton(AF_INET6, host, &ipv6) == 1 else {
                throw HTTPServerError.invalidConfiguration("host", "\(host) is not a numeric IPv4 or IPv6 address")
            }
            return host
        }
    }

    private static func readPEM(_ path: String) throws -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard text.contains("-----BEGIN") else {
                throw HTTPServerError.tlsFileUnreadable(path, "not PEM")
            }
            return text
        } catch let error as HTTPServerError {
            throw error
        } catch {
            throw HTTPServerError.tlsFileUnreadable(path, "cannot be read")
        }
    }

    /// libmicrohttpd counts timeouts in whole seconds: round up so a short timeout is not disabled.
    private static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return attoseconds > 0 ? seconds + 1 : seconds
    }
}

extension Optional where Wrapped == String {
    fileprivate func withOptionalCString<Result>(_ body: (UnsafePointer<CChar>?) -> Result) -> Result {
        switch self {
        case .some(let string): string.withCString { body($0) }
        case .none: body(nil)
        }
    }
}
