import Foundation
import Logging
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
        case stopping(Task<Void, Never>)
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

    /// Connections libmicrohttpd holds open right now, and how many the server has closed for
    /// missing their header deadline or to make room for new clients.
    public var connectionCounts: (open: Int, evicted: Int) { core.connections.counts }

    /// Connections open right now.
    public var openConnections: Int { core.connections.counts.open }

    /// Whether `shutdown` has begun draining (tests wait for it instead of sleeping).
    var isDraining: Bool { core.isDraining }

    /// The most bytes of a streamed request body the server has held for one exchange at once.
    var requestBodyBufferedPeak: Int { core.requestBodyBufferedPeak.load(ordering: .relaxed) }

    /// Stops taking requests (new ones get 503 with `Connection: close`), lets in-flight requests and
    /// streams finish within `gracePeriod` (their responses carry `Connection: close`), then cuts what
    /// is left and closes everything, the listening socket included. Concurrent and later calls wait
    /// for the same shutdown.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let stopping = lifecycle.withLock { lifecycle -> Task<Void, Never>? in
            switch lifecycle {
            case .idle, .stopped:
                lifecycle = .stopped
                return nil
            case .stopping(let task):
                return task
            case .running(let daemon):
                // Unstructured so that a caller being cancelled cannot leave the daemon half stopped.
                let task = Task { [core, configuration] in
                    await Self.drainAndStop(daemon, core: core, gracePeriod: gracePeriod, logger: configuration.logger)
                }
                lifecycle = .stopping(task)
                return task
            }
        }
        guard let stopping else { return }
        await stopping.value
        lifecycle.withLock { $0 = .stopped }
    }

    private static func drainAndStop(_ daemon: MHDDaemon, core: ServerCore, gracePeriod: Duration, logger: Logger) async {
        logger.debug("HTTP server draining", metadata: ["in_flight": String(core.inFlight)])
        // No MHD_quiesce_daemon: with epoll and internal threads it races libmicrohttpd's own
        // removal of the listening socket and can abort the process (an open libmicrohttpd defect).
        // Draining instead answers every request that starts from now on with 503 and
        // `Connection: close`; the listening socket closes with MHD_stop_daemon below.
        core.beginDraining()

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
        logger.debug("HTTP server stopped")
    }
}
