import Foundation
import Logging
import Synchronization

/// A bounded pool of MySQL connections, each confined to its own thread.
///
/// `withConnection` suspends (as a continuation, resumed by the check-in that frees a slot) until
/// a slot is free, then runs the blocking body on that slot's thread. A slot connects lazily,
/// pings a connection that sat idle past `validationInterval`, and drops a connection that broke
/// so the next use reconnects — which is how the pool recovers from a server restart by itself.
final class MySQLConnectionPool: Sendable {
    typealias Slot = ConnectionSlot<MySQLConnection>
    private typealias Waiter = CheckedContinuation<Int, any Error>

    private let slots: [DedicatedThread<Slot>]
    private let state: Mutex<(machine: PoolStateMachine<Waiter>, nextWaiter: Int)>
    private let settings: MySQLSettings
    private let validationInterval: Duration
    private let logger: Logger

    init(settings: MySQLSettings, size: Int, validationInterval: Duration, logger: Logger) {
        let size = max(1, size)
        self.settings = settings
        self.validationInterval = validationInterval
        self.logger = logger
        self.slots = (0..<size).map { index in
            DedicatedThread<Slot>(
                name: "bpg-mysql-\(index)",
                makeResource: {
                    MySQLLibrary.threadStart()
                    return Slot()
                },
                onExit: { MySQLLibrary.threadEnd() })
        }
        self.state = Mutex((PoolStateMachine(size: size), 0))
    }

    /// Slots in use and operations waiting for one, read under the pool's lock.
    var statistics: StorePoolStatistics {
        state.withLock { state in
            StorePoolStatistics(
                size: slots.count, inUse: slots.count - state.machine.idleCount, waiting: state.machine.waitingCount)
        }
    }

    /// Runs `body` with a connected session on a pooled connection's thread.
    ///
    /// A connection-lost error drops the connection before it is rethrown, so a retry reconnects.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (MySQLConnection) throws(SQLError) -> T) async throws -> T {
        let slot = try await checkout()
        defer { checkin(slot) }
        let settings = self.settings
        let validationInterval = self.validationInterval
        let logger = self.logger
        return try await slots[slot].run { holder in
            if let connection = holder.connection, ContinuousClock.now - connection.lastUsed > validationInterval,
                !connection.ping()
            {
                logger.debug("dropping a MySQL connection that failed its ping", metadata: ["slot": "\(slot)"])
                holder.connection = nil
            }
            let connection: MySQLConnection
            if let existing = holder.connection {
                connection = existing
            } else {
                connection = try MySQLConnection(settings)
                holder.connection = connection
                logger.debug("opened a MySQL connection", metadata: ["slot": "\(slot)"])
            }
            do throws(SQLError) {
                let result = try body(connection)
                connection.touch()
                return result
            } catch {
                if error.kind == .connectionLost {
                    connection.rollback()
                    holder.connection = nil
                } else {
                    // Never hand the next user a connection inside a half-done transaction.
                    connection.rollback()
                    connection.touch()
                }
                throw error
            }
        }
    }

    private func checkout() async throws -> Int {
        let (idle, id) = state.withLock { state -> (Int?, Int) in
            if let slot = state.machine.checkoutIfIdle() { return (slot, 0) }
            state.nextWaiter += 1
            return (nil, state.nextWaiter)
        }
        if let idle { return idle }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let action = state.withLock { $0.machine.checkout(id: id, waiter: continuation) }
                switch action {
                case .use(let slot): continuation.resume(returning: slot)
                case .wait: break
                case .fail: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            state.withLock { $0.machine.cancel(id: id) }?.resume(throwing: CancellationError())
        }
    }

    private func checkin(_ slot: Int) {
        let action = state.withLock { $0.machine.checkin(slot: slot) }
        if case .resume(let waiter, let slot) = action { waiter.resume(returning: slot) }
    }

    /// Fails waiters, then closes every connection on its own thread and stops the threads.
    func shutdown() async {
        let waiters = state.withLock { $0.machine.close() }
        for waiter in waiters { waiter.resume(throwing: CancellationError()) }
        for slot in slots {
            _ = try? await slot.run { holder in holder.connection = nil }
            await slot.stop()
        }
    }
}
