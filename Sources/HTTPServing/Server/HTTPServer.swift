import Foundation
import Synchronization

/// An HTTP/1.1 (and HTTPS) server over libmicrohttpd's epoll thread pool. Requests are routed by
/// an `HTTPResponder`; handlers run as Swift tasks while the connection waits suspended, so
/// neither libmicrohttpd's threads nor the cooperative pool ever block.
///
/// ```swift
/// var configuration = HTTPServerConfiguration()
/// configuration.port = 0
/// let server = HTTPServer(configuration: configuration, responder: router.build())
/// try server.start()
/// print("listening on", server.port)
/// …
/// await server.shutdown(gracePeriod: .seconds(10))
/// ```
public final class HTTPServer: Sendable {
    private enum Lifecycle {
        case idle
        case running(MHDDaemon)
        case stopping
        case stopped
    }

    private let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private let lifecycle = Mutex(Lifecycle.idle)
    private let boundPort = Atomic<Int>(0)

    public init(configuration: HTTPServerConfiguration, responder: HTTPResponder) {
        self.configuration = configuration
        self.core = ServerCore(configuration: configuration, responder: responder)
    }

    /// Binds and starts serving on libmicrohttpd's threads; returns at once.
    ///
    /// Throws `HTTPServerError` for an invalid configuration, an unreadable certificate or key,
    /// or when `MHD_start_daemon` fails (port in use, bad certificate).
    public func start() throws {
        try lifecycle.withLock { lifecycle in
            guard case .idle = lifecycle else { throw HTTPServerError.alreadyStarted }
            let daemon = try MHDDaemon(configuration: configuration, core: core)
            boundPort.store(daemon.port, ordering: .releasing)
            lifecycle = .running(daemon)
            configuration.logger.debug(
                "HTTP server started",
                metadata: ["host": configuration.host, "port": String(daemon.port), "tls": String(configuration.tls != nil)])
        }
    }

    /// The bound port (the one picked when `configuration.port` is 0); 0 before `start()`.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// The number of requests currently between their request line and their completion.
    public var inFlightRequests: Int { core.inFlight }

    /// Stops accepting connections, lets in-flight requests and streams finish within
    /// `gracePeriod` (responses meanwhile carry `Connection: close`), then cuts what is left and
    /// closes everything. Safe to call more than once; later calls return at once.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let daemon = lifecycle.withLock { lifecycle -> MHDDaemon? in
            guard case .running(let daemon) = lifecycle else {
                if case .idle = lifecycle { lifecycle = .stopped }
                return nil
            }
            lifecycle = .stopping
            return daemon
        }
        guard let daemon else { return }
        let logger = configuration.logger
        logger.debug("HTTP server draining", metadata: ["in_flight": String(core.inFlight)])
        core.beginDraining()
        daemon.quiesce()

        let core = self.core
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await core.waitUntilIdle() }
            group.addTask { try? await Task.sleep(for: gracePeriod) }
            await group.next()
            group.cancelAll()
        }
        let abandoned = core.inFlight
        if abandoned > 0 {
            logger.debug("HTTP server cutting requests at the deadline", metadata: ["count": String(abandoned)])
        }
        core.cutAll()
        // MHD_stop_daemon joins libmicrohttpd's threads: never on the cooperative pool.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                daemon.stop()
                continuation.resume()
            }
            thread.name = "HTTPServer.stop"
            thread.start()
        }
        lifecycle.withLock { $0 = .stopped }
        logger.debug("HTTP server stopped")
    }
}
