/// Decides which connections to close so that no client can hold the server by sending its headers
/// slowly (slow-loris): a pure state machine, fed by libmicrohttpd's connection and request events,
/// that answers with the connections to close. `ConnectionGuard` owns one and does the closing.
///
/// Rules:
/// - **Header deadline.** A new connection must deliver its first complete header block within
///   `headerTimeout`. libmicrohttpd's own timeout is an idle timeout, which a client dripping one byte
///   at a time never reaches. On a kept-alive connection the next request's header block must be
///   complete within `idleTimeout + headerTimeout` of the previous request's end, and within
///   `headerTimeout` of its request line.
/// - **Reserve.** libmicrohttpd accepts up to `maxConnections + reserve`; once more than
///   `maxConnections` are open, each new connection evicts the connection that has been waiting
///   longest for its headers. Connections whose request is being handled or answered are never
///   evicted: only clients that have not yet said what they want.
/// - A connection with a request in progress (headers complete) has no deadline here; the idle
///   timeout and the body limits cover it.
struct ConnectionLimiter {
    typealias ID = UInt
    typealias Instant = ContinuousClock.Instant

    struct Limits {
        var maxConnections: Int
        var headerTimeout: Duration
        var idleTimeout: Duration
    }

    private struct Entry {
        /// Since when the connection has been waiting for a complete header block; nil while a
        /// request is in progress.
        var waitingSince: Instant?
        var deadline: Instant?
        /// Already told to close; it no longer counts against the limit.
        var evicted = false
    }

    let limits: Limits
    private var entries: [ID: Entry] = [:]
    /// Open connections not yet evicted.
    private(set) var liveCount = 0
    /// Connections closed by the deadline or the reserve rule, for logs and tests.
    private(set) var evictions = 0

    init(limits: Limits) {
        self.limits = limits
    }

    /// A connection was accepted. Returns the connections to close to make room for it.
    mutating func opened(_ id: ID, at now: Instant) -> [ID] {
        entries[id] = Entry(waitingSince: now, deadline: now + limits.headerTimeout)
        liveCount += 1
        var evicted: [ID] = []
        while liveCount > limits.maxConnections, let oldest = oldestWaiting(excluding: id) {
            evict(oldest)
            evicted.append(oldest)
        }
        return evicted
    }

    /// A request line arrived: the rest of its header block is due within `headerTimeout`.
    mutating func requestLineReceived(_ id: ID, at now: Instant) {
        guard var entry = entries[id], !entry.evicted else { return }
        let due = now + limits.headerTimeout
        entry.deadline = entry.deadline.map { min($0, due) } ?? due
        if entry.waitingSince == nil { entry.waitingSince = now }
        entries[id] = entry
    }

    /// The header block is complete: the request is in progress and has no header deadline.
    mutating func headersReceived(_ id: ID) {
        guard var entry = entries[id], !entry.evicted else { return }
        entry.waitingSince = nil
        entry.deadline = nil
        entries[id] = entry
    }

    /// A request finished; if the connection is kept alive, it waits for the next header block.
    mutating func requestCompleted(_ id: ID, at now: Instant) {
        guard var entry = entries[id], !entry.evicted else { return }
        entry.waitingSince = now
        entry.deadline = now + limits.idleTimeout + limits.headerTimeout
        entries[id] = entry
    }

    mutating func closed(_ id: ID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        if !entry.evicted { liveCount -= 1 }
    }

    /// The connections whose header deadline has passed.
    mutating func expired(at now: Instant) -> [ID] {
        let due = entries.compactMap { id, entry -> ID? in
            guard !entry.evicted, let deadline = entry.deadline, deadline <= now else { return nil }
            return id
        }
        due.forEach { evict($0) }
        return due
    }

    var openCount: Int { entries.count }

    private mutating func evict(_ id: ID) {
        guard entries[id]?.evicted == false else { return }
        entries[id]?.evicted = true
        entries[id]?.deadline = nil
        liveCount -= 1
        evictions += 1
    }

    private func oldestWaiting(excluding excluded: ID) -> ID? {
        var best: (id: ID, since: Instant)?
        for (id, entry) in entries where id != excluded && !entry.evicted {
            guard let since = entry.waitingSince else { continue }
            if best == nil || since < best!.since { best = (id, since) }
        }
        return best?.id
    }
}
