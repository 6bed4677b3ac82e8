import Foundation
import Logging
import Synchronization

/// What libmicrohttpd's callbacks reach (through `Unmanaged`): the responder, the limits and the
/// registry of live exchanges used to drain and cut at shutdown.
final class ServerCore: Sendable {
    let responder: HTTPResponder
    let logger: Logger
    let maxBodyBytes: Int
    let streamBufferBytes: Int
    let requestBodyBufferBytes: Int
    /// The most bytes of streamed request bodies ever held at once by one exchange (tests check
    /// that backpressure bounds it).
    let requestBodyBufferedPeak = Atomic<Int>(0)
    /// Header deadlines and the connection reserve.
    let connections: ConnectionGuard

    private struct Registry {
        var live: [ObjectIdentifier: Exchange] = [:]
        var draining = false
        var cutting = false
        var idleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        /// The latest libmicrohttpd diagnostic, for start errors.
        var lastMessage: String?
    }

    private let registry = Mutex(Registry())
    private let drainingFlag = Atomic<Bool>(false)

    init(configuration: HTTPServerConfiguration, responder: HTTPResponder) {
        self.responder = responder
        self.logger = configuration.logger
        self.maxBodyBytes = configuration.maxBodyBytes
        self.streamBufferBytes = max(1, configuration.streamBufferBytes)
        self.requestBodyBufferBytes = max(1, configuration.requestBodyBufferBytes)
        self.connections = ConnectionGuard(
            limits: .init(
                maxConnections: max(1, configuration.maxConnections),
                headerTimeout: max(.milliseconds(1), configuration.headerTimeout),
                idleTimeout: configuration.connectionTimeout),
            logger: configuration.logger)
    }

    /// Once shutdown began, responses carry `Connection: close` so keep-alive clients go away.
    var isDraining: Bool { drainingFlag.load(ordering: .relaxed) }

    /// The number of requests between their request line and their completion.
    var inFlight: Int { registry.withLock { $0.live.count } }

    func register(_ exchange: Exchange) {
        let cutting = registry.withLock { registry in
            registry.live[ObjectIdentifier(exchange)] = exchange
            return registry.cutting
        }
        if cutting {
            exchange.cut()
        }
    }

    func unregister(_ exchange: Exchange) {
        let waiters = registry.withLock { registry -> [CheckedContinuation<Void, Never>] in
            registry.live[ObjectIdentifier(exchange)] = nil
            guard registry.live.isEmpty, !registry.idleWaiters.isEmpty else { return [] }
            defer { registry.idleWaiters = [:] }
            return Array(registry.idleWaiters.values)
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    func beginDraining() {
        drainingFlag.store(true, ordering: .relaxed)
        registry.withLock { $0.draining = true }
    }

    /// Returns once no request is in flight, or when the calling task is cancelled.
    func waitUntilIdle() async {
        let id = registry.withLock { registry in
            defer { registry.nextWaiter += 1 }
            return registry.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = registry.withLock { registry -> Bool in
                    if registry.live.isEmpty || Task.isCancelled { return true }
                    registry.idleWaiters[id] = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                }
            }
        } onCancel: {
            registry.withLock { $0.idleWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Abandons every live exchange (shutdown deadline); later ones are cut as they register.
    func cutAll() {
        let exchanges = registry.withLock { registry in
            registry.cutting = true
            return Array(registry.live.values)
        }
        for exchange in exchanges {
            exchange.cut()
        }
    }

    func log(_ message: String) {
        registry.withLock { $0.lastMessage = message }
        logger.debug("libmicrohttpd: \(message)")
    }

    func takeLastMessage() -> String? {
        registry.withLock { registry in
            defer { registry.lastMessage = nil }
            return registry.lastMessage
        }
    }
}
