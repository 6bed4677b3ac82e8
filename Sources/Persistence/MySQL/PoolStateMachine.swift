/// Who gets which pooled connection: a pure state machine (events in, actions out), so every
/// interleaving is testable without threads or a server.
///
/// Idle slots are reused last-in first-out (warm connections stay warm); waiters are served first
/// in, first out, each resumed by the check-in that frees a slot — nobody polls.
struct PoolStateMachine<Waiter> {
    enum CheckoutAction {
        /// Use this slot now.
        case use(Int)
        /// Every slot is busy: the waiter is queued until a check-in hands it one.
        case wait
        /// The pool is closed.
        case fail
    }

    enum CheckinAction {
        /// Hand the slot straight to this waiter.
        case resume(Waiter, slot: Int)
        /// The slot is idle again.
        case idle
    }

    private var idle: [Int]
    private var waiters: [(id: Int, waiter: Waiter)] = []
    private var waiterHead = 0
    private(set) var isClosed = false

    init(size: Int) {
        idle = Array((0..<size).reversed())
    }

    var waitingCount: Int { waiters.count - waiterHead }
    var idleCount: Int { idle.count }

    /// Takes an idle slot if there is one (the fast path: no waiter needs to be made).
    mutating func checkoutIfIdle() -> Int? {
        isClosed ? nil : idle.popLast()
    }

    mutating func checkout(id: Int, waiter: Waiter) -> CheckoutAction {
        if isClosed { return .fail }
        if let slot = idle.popLast() { return .use(slot) }
        waiters.append((id, waiter))
        return .wait
    }

    mutating func checkin(slot: Int) -> CheckinAction {
        if waiterHead < waiters.count {
            let next = waiters[waiterHead]
            waiterHead += 1
            compact()
            return .resume(next.waiter, slot: slot)
        }
        idle.append(slot)
        return .idle
    }

    /// A waiter gave up (its task was cancelled): returns it so the caller can fail it.
    mutating func cancel(id: Int) -> Waiter? {
        guard let index = waiters[waiterHead...].firstIndex(where: { $0.id == id }) else { return nil }
        let waiter = waiters.remove(at: index).waiter
        return waiter
    }

    /// Closes the pool: later checkouts fail; returns the waiters to fail now.
    mutating func close() -> [Waiter] {
        isClosed = true
        let pending = waiters[waiterHead...].map(\.waiter)
        waiters = []
        waiterHead = 0
        return pending
    }

    private mutating func compact() {
        if waiterHead > 64 && waiterHead * 2 > waiters.count {
            waiters.removeFirst(waiterHead)
            waiterHead = 0
        }
    }
}

extension PoolStateMachine: Sendable where Waiter: Sendable {}
extension PoolStateMachine.CheckoutAction: Sendable where Waiter: Sendable {}
extension PoolStateMachine.CheckinAction: Sendable where Waiter: Sendable {}
