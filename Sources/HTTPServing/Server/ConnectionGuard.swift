internal import CGatewayShims
internal import CMicroHTTPD
import Dispatch
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Applies `ConnectionLimiter`'s decisions to libmicrohttpd's connections: told of every open,
/// request line, header block, completion and close, it closes the connections the limiter gives up
/// on, from the MHD thread (reserve evictions) or from its own sweeper thread (deadlines).
///
/// libmicrohttpd 0.9.75 has no call to close a connection from outside its own callbacks, so the
/// socket is `shutdown()`: the MHD thread then sees end-of-stream and closes the connection itself,
/// cleanly. That is done with the lock held, and the close notification takes the same lock
/// before libmicrohttpd closes the descriptor, so a descriptor number is never shut down after it
/// was reused by another connection.
final class ConnectionGuard: Sendable {
    private struct State {
        var limiter: ConnectionLimiter
        var sockets: [ConnectionLimiter.ID: Int32] = [:]
        var stopped = false
    }

    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    private let sweepInterval: Duration
    private let logger: Logger

    init(limits: ConnectionLimiter.Limits, logger: Logger) {
        state = Mutex(State(limiter: ConnectionLimiter(limits: limits)))
        // Deadlines are enforced to within a quarter of the header timeout, at most 250 ms late.
        sweepInterval = min(.milliseconds(250), limits.headerTimeout / 4)
        self.logger = logger
    }

    static func id(_ connection: OpaquePointer) -> ConnectionLimiter.ID {
        UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection)))
    }

    func opened(_ connection: OpaquePointer) {
        let descriptor = gw_mhd_connection_fd(connection)
        let evicted = state.withLock { state -> Int in
            let id = Self.id(connection)
            state.sockets[id] = descriptor
            let victims = state.limiter.opened(id, at: .now)
            victims.forEach { Self.close($0, in: state) }
            return victims.count
        }
        if evicted > 0 {
            logger.debug("connection limit reached: closed the connection waiting longest for its headers")
        }
    }

    func requestLineReceived(_ connection: OpaquePointer) {
        state.withLock { $0.limiter.requestLineReceived(Self.id(connection), at: .now) }
    }

    func headersReceived(_ connection: OpaquePointer) {
        state.withLock { $0.limiter.headersReceived(Self.id(connection)) }
    }

    func requestCompleted(_ connection: OpaquePointer) {
        state.withLock { $0.limiter.requestCompleted(Self.id(connection), at: .now) }
    }

    func closed(_ connection: OpaquePointer) {
        state.withLock { state in
            let id = Self.id(connection)
            state.sockets[id] = nil
            state.limiter.closed(id)
        }
    }

    /// Connections open (as libmicrohttpd reports them) and closed by the guard so far.
    var counts: (open: Int, evicted: Int) {
        state.withLock { ($0.limiter.openCount, $0.limiter.evictions) }
    }

    /// Starts the sweeper thread that enforces header deadlines.
    func start() {
        let thread = Thread { [self] in
            while true {
                let timeout = DispatchTime.now() + .nanoseconds(Int(sweepInterval / .nanoseconds(1)))
                _ = wake.wait(timeout: timeout)
                let (stopped, expired) = state.withLock { state -> (Bool, Int) in
                    if state.stopped { return (true, 0) }
                    let expired = state.limiter.expired(at: .now)
                    expired.forEach { Self.close($0, in: state) }
                    return (false, expired.count)
                }
                if stopped { return }
                if expired > 0 {
                    logger.debug("closed connections that sent no complete headers in time", metadata: ["count": String(expired)])
                }
            }
        }
        thread.name = "http-connection-guard"
        thread.start()
    }

    /// Stops the sweeper; call before stopping the daemon.
    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    private static func close(_ id: ConnectionLimiter.ID, in state: State) {
        guard let descriptor = state.sockets[id], descriptor >= 0 else { return }
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }
}
