import Foundation
import JSON
import Synchronization

/// The simulated API server's storage: objects as JSON trees, one cluster-wide `resourceVersion`
/// counter (every change bumps it by one and records one event), a bounded history of events for
/// watches and paginated lists, and live watchers fed through bounded `AsyncStream`s.
///
/// It owns `metadata.uid`, `resourceVersion`, `creationTimestamp` and `generation`, and reports
/// failures as `KubeStatus` exactly as the real API server words them. No HTTP here.
public final class ObjectStore: Sendable {
    /// Where a watch starts.
    public enum WatchStart: Sendable, Hashable {
        /// Send the current objects as synthetic ADDED events, then every change (resourceVersion unset or "0").
        case currentState
        /// Send every change after this resourceVersion; 410 Expired when the history no longer reaches back.
        case after(Int)
    }

    /// One page of a list.
    public struct ListPage: Sendable {
        /// The objects of this page, in key order.
        public var items: [JSONValue]
        /// The version the list reflects (for every page, the first page's).
        public var resourceVersion: Int
        /// Present when more objects follow.
        public var continueToken: String?
        /// How many objects follow this page.
        public var remainingItemCount: Int?
    }

    struct ObjectKey: Hashable, Comparable {
        var namespace: String
        var name: String
        static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
            (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
        }
        var tokenText: String { "\(namespace)/\(name)" }
    }

    struct StoredEvent {
        var resourceVersion: Int
        var type: WatchEvent.EventType
        var resource: ResourceType
        var key: ObjectKey
        var object: JSONValue
        var previous: JSONValue?
        var time: ContinuousClock.Instant
    }

    struct Watcher {
        var resource: ResourceType
        var filter: ObjectFilter
        var continuation: AsyncStream<WatchEvent>.Continuation
        /// Client watches end when the API server stops answering; the simulated operator's does not.
        var isClient: Bool
        /// Set when the watch ended (cancelled, its stream dropped): the watcher is removed at the next
        /// write, bookmark or count under the lock.
        var ended: WatchEnd
    }

    /// A watch's end, marked without the store's lock.
    ///
    /// Events are delivered (yielded) under the lock, which keeps every watcher's events in
    /// resourceVersion order across concurrent writers. A cancel must therefore never need that lock:
    /// it can run under it (a `modify` closure that cancels or drops the last reference to a
    /// subscription, whose `deinit` cancels) or race with a write, and `Mutex` is not reentrant. So
    /// the stream's termination only sets this flag, and the lock's holders sweep ended watchers.
    final class WatchEnd: Sendable {
        private let flag = Atomic<Bool>(false)
        var isEnded: Bool { flag.load(ordering: .acquiring) }
        func end() { flag.store(true, ordering: .releasing) }
    }

    struct State {
        var resourceVersion = 0
        var objects: [ResourceType: [ObjectKey: JSONValue]] = [:]
        var history: [StoredEvent] = []
        var historyStart = 0  // index of the oldest live entry (the array is trimmed in batches)
        /// The newest resourceVersion whose event the count limit dropped from history: watches and
        /// continue tokens from before it get 410 Expired, whatever their resource type.
        var compactedThrough = 0
        /// Per resource type, the newest resourceVersion whose event the time window dropped (the watch
        /// cache keeps one window per resource type).
        var expiredThrough: [ResourceType: Int] = [:]

        func compacted(_ resource: ResourceType) -> Int { max(compactedThrough, expiredThrough[resource, default: 0]) }
        var watchers: [Int: Watcher] = [:]
        var nextWatcherID = 0
    }

    private let state = Mutex(State())
    private let historyLimit: Int
    private let historyWindow: Duration?
    private let watchBufferLimit: Int

    /// - Parameters:
    ///   - historyLimit: how many events are kept for watches and continue tokens; older ones give 410 Expired.
    ///   - watchBufferLimit: how many undelivered events a watcher may have before it is closed (as the
    ///     real API server closes watchers that cannot keep up).
    ///   - historyWindow: how long events are kept (the watch cache keeps a few minutes); nil: only the count limits.
    public init(historyLimit: Int = 1000, historyWindow: Duration? = nil, watchBufferLimit: Int = 1000) {
        self.historyLimit = max(historyLimit, 1)
        self.historyWindow = historyWindow
        self.watchBufferLimit = max(watchBufferLimit, 1)
    }

    /// The current cluster-wide resourceVersion.
    public var resourceVersion: Int { state.withLock { $0.resourceVersion } }

    // MARK: - Reads

    /// The object, or 404 NotFound.
    public func get(_ resource: ResourceType, namespace: String, name: String) throws(KubeStatus) -> JSONValue {
        let key = ObjectKey(namespace: namespace, name: name)
        guard let object = state.withLock({ $0.objects[resource]?[key] }) else {
            throw KubeStatus.notFound(resource, name)
        }
        return object
    }

    /// Lists objects in key order (namespace, name). With `limit`, returns a page and a continue token;
    /// continuing returns the rest of the list as it was at the first page's resourceVersion.
    public func list(
        _ resource: ResourceType, filter: ObjectFilter, limit: Int? = nil, continueToken: String? = nil
    ) throws(KubeStatus) -> ListPage {
        try state.withLock { state throws(KubeStatus) -> ListPage in
            var snapshotVersion = state.resourceVersion
            var startAfter: String?
            var objects = state.objects[resource] ?? [:]
            if let continueToken, !continueToken.isEmpty {
                let token = try ContinueToken(decoding: continueToken)
                trimExpired(&state)
                if token.resourceVersion < state.compacted(resource) {
                    var status = KubeStatus.expired(
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."
                    )
                    status.code = 410
                    throw status
                }
                snapshotVersion = token.resourceVersion
                startAfter = token.startAfter
                objects = Self.rewind(objects, of: resource, to: snapshotVersion, in: state)
            }
            // The key holds the namespace: skip other namespaces before looking into objects.
            var selected: [(ObjectKey, JSONValue)] = objects.filter { entry in
                (filter.namespace.map { $0 == entry.key.namespace } ?? true) && filter.matches(entry.value)
            }.sorted { $0.key < $1.key }
            if let startAfter {
                selected = selected.filter { $0.0.tokenText > startAfter }
            }
            guard let limit, limit > 0, selected.count > limit else {
                return ListPage(items: selected.map(\.1), resourceVersion: snapshotVersion, continueToken: nil, remainingItemCount: nil)
            }
            let page = selected.prefix(limit)
            let token = ContinueToken(resourceVersion: snapshotVersion, startAfter: page.last?.0.tokenText ?? "")
            return ListPage(
                items: page.map(\.1), resourceVersion: snapshotVersion, continueToken: token.encoded,
                remainingItemCount: selected.count - limit)
        }
    }

    /// The objects of `resource` as they were at `version`, undoing later events from the history.
    private static func rewind(
        _ objects: [ObjectKey: JSONValue], of resource: ResourceType, to version: Int, in state: State
    ) -> [ObjectKey: JSONValue] {
        var objects = objects
        for event in state.history[state.historyStart...].reversed() where event.resourceVersion > version {
            guard event.resource == resource else { continue }
            switch event.type {
            case .added: objects[event.key] = nil
            default: objects[event.key] = event.previous
            }
        }
        return objects
    }

    // MARK: - Writes

    /// Stores a new object: sets namespace, uid, resourceVersion, creationTimestamp (and generation for
    /// custom resources); expands `generateName`. 409 AlreadyExists when the name is taken.
    @discardableResult
    public func create(_ resource: ResourceType, namespace: String, object: JSONValue) throws(KubeStatus) -> JSONValue {
        let stored = try stamped(resource, namespace: namespace, object: object)
        let key = ObjectKey(namespace: namespace, name: stored.name)
        return try commit { state throws(KubeStatus) in
            if state.objects[resource]?[key] != nil { throw KubeStatus.alreadyExists(resource, stored.name) }
            return .change(resource, key, .added, stored, previous: nil)
        }
    }

    /// What `create` would store (a dry run): the same checks and metadata, no resourceVersion, nothing kept.
    public func preview(_ resource: ResourceType, namespace: String, object: JSONValue) throws(KubeStatus) -> JSONValue {
        let stored = try stamped(resource, namespace: namespace, object: object)
        let key = ObjectKey(namespace: namespace, name: stored.name)
        if state.withLock({ $0.objects[resource]?[key] != nil }) { throw KubeStatus.alreadyExists(resource, stored.name) }
        return stored
    }

    /// The metadata the server sets on a new object.
    private func stamped(_ resource: ResourceType, namespace: String, object: JSONValue) throws(KubeStatus) -> JSONValue {
        var object = object
        var name = object.name
        if name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            object[path: ["metadata", "name"]] = .string(name)
        }
        guard !name.isEmpty else {
            throw KubeStatus.invalid(
                resource, "", [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        object[path: ["metadata", "namespace"]] = .string(namespace)
        object[path: ["metadata", "uid"]] = .string(UUID().uuidString.lowercased())
        object[path: ["metadata", "creationTimestamp"]] = .string(Self.timestamp())
        if resource.group == ResourceType.sparkApplications.group {
            object[path: ["metadata", "generation"]] = .int(1)
        }
        object[path: ["metadata", "deletionTimestamp"]] = nil
        return object
    }

    /// Replaces an object (PUT). When the new object carries `metadata.resourceVersion`, it must equal the
    /// stored one (409 Conflict otherwise); uid and creationTimestamp are kept; generation bumps when
    /// `spec` changes.
    @discardableResult
    public func replace(_ resource: ResourceType, namespace: String, name: String, object: JSONValue) throws(KubeStatus) -> JSONValue {
        let key = ObjectKey(namespace: namespace, name: name)
        return try commit { state throws(KubeStatus) in
            guard let current = state.objects[resource]?[key] else { throw KubeStatus.notFound(resource, name) }
            if let expected = object[path: ["metadata", "resourceVersion"]]?.stringValue, !expected.isEmpty,
                expected != String(current.resourceVersion)
            {
                throw KubeStatus.conflict(resource, name)
            }
            var updated = object
            updated[path: ["metadata", "name"]] = .string(name)
            updated[path: ["metadata", "namespace"]] = .string(namespace)
            // The server owns these; a deletion mark cannot be set or lifted by an update.
            for field in ["uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"] {
                updated[path: ["metadata", field]] = current[path: ["metadata", field]]
            }
            if let generation = current[path: ["metadata", "generation"]]?.intValue, updated["spec"] != current["spec"] {
                updated[path: ["metadata", "generation"]] = .int(generation + 1)
            }
            return .change(resource, key, .modified, updated, previous: current)
        }
    }

    /// Changes an object in place (the simulated operator's status updates). `change` sees the stored
    /// object; a no-op change records nothing. 404 when the object is gone.
    @discardableResult
    public func modify(
        _ resource: ResourceType, namespace: String, name: String, _ change: (inout JSONValue) -> Void
    ) throws(KubeStatus) -> JSONValue {
        let key = ObjectKey(namespace: namespace, name: name)
        return try commit { state throws(KubeStatus) in
            guard let current = state.objects[resource]?[key] else { throw KubeStatus.notFound(resource, name) }
            var updated = current
            change(&updated)
            if updated == current { return .unchanged(current) }
            return .change(resource, key, .modified, updated, previous: current)
        }
    }

    /// Removes an object and returns its last state (with the deletion's resourceVersion).
    /// `uid`/`resourceVersion` preconditions give 409 Conflict when they do not hold.
    @discardableResult
    public func delete(
        _ resource: ResourceType, namespace: String, name: String, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil
    ) throws(KubeStatus) -> JSONValue {
        let key = ObjectKey(namespace: namespace, name: name)
        return try commit { state throws(KubeStatus) in
            guard let current = state.objects[resource]?[key] else { throw KubeStatus.notFound(resource, name) }
            try Self.checkPreconditions(current, resource, name, uid: preconditionUID, resourceVersion: preconditionResourceVersion)
            return .change(resource, key, .deleted, current, previous: current)
        }
    }

    /// The checks of `delete` without deleting (a dry run): the object as a delete would return it.
    public func checkDelete(
        _ resource: ResourceType, namespace: String, name: String, preconditionUID: String? = nil,
        preconditionResourceVersion: String? = nil
    ) throws(KubeStatus) -> JSONValue {
        let current = try get(resource, namespace: namespace, name: name)
        try Self.checkPreconditions(current, resource, name, uid: preconditionUID, resourceVersion: preconditionResourceVersion)
        return current
    }

    private static func checkPreconditions(
        _ current: JSONValue, _ resource: ResourceType, _ name: String, uid: String?, resourceVersion: String?
    ) throws(KubeStatus) {
        if let uid, current[path: ["metadata", "uid"]]?.stringValue != uid {
            var status = KubeStatus.conflict(resource, name)
            status.message =
                "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": Precondition failed: UID in precondition: \(uid), UID in object meta: \(current[path: ["metadata", "uid"]]?.stringValue ?? "")"
            throw status
        }
        if let version = resourceVersion, String(current.resourceVersion) != version {
            var status = KubeStatus.conflict(resource, name)
            status.message =
                "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(current.resourceVersion)"
            throw status
        }
    }

    /// Applies one change under the lock: bumps the resourceVersion, stamps it on the object, records
    /// the event, feeds the watchers.
    private func commit(_ decide: (inout State) throws(KubeStatus) -> Decision) throws(KubeStatus) -> JSONValue {
        var closing: [AsyncStream<WatchEvent>.Continuation] = []
        // Ended watchers' continuations, held until the lock is released, so no stream is freed under it.
        var ended: [AsyncStream<WatchEvent>.Continuation] = []
        let result = try state.withLock { state throws(KubeStatus) -> JSONValue in
            let (resource, key, type, proposed, previous): (ResourceType, ObjectKey, WatchEvent.EventType, JSONValue, JSONValue?)
            switch try decide(&state) {
            case .unchanged(let object): return object
            case .change(let r, let k, let t, let o, let p): (resource, key, type, proposed, previous) = (r, k, t, o, p)
            }
            state.resourceVersion += 1
            var object = proposed
            object[path: ["metadata", "resourceVersion"]] = .string(String(state.resourceVersion))
            if type == .deleted {
                state.objects[resource]?[key] = nil
            } else {
                state.objects[resource, default: [:]][key] = object
            }
            let event = StoredEvent(
                resourceVersion: state.resourceVersion, type: type, resource: resource, key: key, object: object, previous: previous,
                time: .now)
            append(event, to: &state)
            for (id, watcher) in state.watchers where watcher.resource == resource {
                if watcher.ended.isEnded {
                    state.watchers[id] = nil
                    ended.append(watcher.continuation)
                    continue
                }
                guard let translated = Self.translate(event, for: watcher.filter) else { continue }
                if case .dropped = watcher.continuation.yield(translated) {
                    state.watchers[id] = nil
                    closing.append(watcher.continuation)
                }
            }
            return object
        }
        // Finishing runs onTermination: kept outside the lock all the same.
        for continuation in closing { continuation.finish() }
        ended.removeAll()
        return result
    }

    /// What a write decided under the lock.
    enum Decision {
        case unchanged(JSONValue)
        case change(ResourceType, ObjectKey, WatchEvent.EventType, JSONValue, previous: JSONValue?)
    }

    private func append(_ event: StoredEvent, to state: inout State) {
        state.history.append(event)
        if state.history.count - state.historyStart > historyLimit {
            state.compactedThrough = state.history[state.historyStart].resourceVersion
            dropOldest(&state)
        }
        trimExpired(&state)
    }

    /// Drops the events older than the history window.
    private func trimExpired(_ state: inout State) {
        guard let historyWindow else { return }
        let cutoff = ContinuousClock.now - historyWindow
        while state.historyStart < state.history.count, state.history[state.historyStart].time < cutoff {
            let oldest = state.history[state.historyStart]
            state.expiredThrough[oldest.resource] = oldest.resourceVersion
            dropOldest(&state)
        }
    }

    private func dropOldest(_ state: inout State) {
        state.historyStart += 1
        // Trim the dead prefix in batches so appends stay amortised O(1).
        if state.historyStart > historyLimit {
            state.history.removeFirst(state.historyStart)
            state.historyStart = 0
        }
    }

    /// What a watcher with `filter` sees of `event`, as the real watch cache does it: an object that
    /// starts matching is ADDED, one that stops matching is DELETED (its old state, the new version).
    private static func translate(_ event: StoredEvent, for filter: ObjectFilter) -> WatchEvent? {
        switch event.type {
        case .added:
            return filter.matches(event.object) ? WatchEvent(type: .added, object: event.object) : nil
        case .deleted:
            return filter.matches(event.object) ? WatchEvent(type: .deleted, object: event.object) : nil
        default:
            let now = filter.matches(event.object)
            let before = event.previous.map(filter.matches) ?? false
            switch (before, now) {
            case (true, true): return WatchEvent(type: .modified, object: event.object)
            case (false, true): return WatchEvent(type: .added, object: event.object)
            case (true, false):
                var old = event.previous ?? event.object
                old[path: ["metadata", "resourceVersion"]] = .string(String(event.resourceVersion))
                return WatchEvent(type: .deleted, object: old)
            case (false, false): return nil
            }
        }
    }

    // MARK: - Watch

    /// A live watch: `events` yields the changes until `cancel()`, until the watcher falls more than
    /// the buffer limit behind (then the stream just ends, as a real server closes the connection),
    /// or until the store shuts down.
    public final class Subscription: Sendable {
        /// The events, in resourceVersion order.
        public let events: AsyncStream<WatchEvent>
        private let cancelAction: @Sendable () -> Void
        private let bookmarkAction: @Sendable () -> Void

        init(events: AsyncStream<WatchEvent>, cancel: @escaping @Sendable () -> Void, bookmark: @escaping @Sendable () -> Void) {
            self.events = events
            self.cancelAction = cancel
            self.bookmarkAction = bookmark
        }

        /// Stops the watch and releases its buffer.
        public func cancel() { cancelAction() }

        /// Queues a BOOKMARK carrying the current resourceVersion, behind every event already queued,
        /// so it never claims a version whose events the watcher has not yet received.
        public func requestBookmark() { bookmarkAction() }

        deinit { cancelAction() }
    }

    /// Starts a watch. Throws 410 Expired when `start` is older than the kept history.
    public func watch(
        _ resource: ResourceType, filter: ObjectFilter, from start: WatchStart, bufferLimit: Int? = nil, isClient: Bool = true
    ) throws(KubeStatus) -> Subscription {
        // Room for the synthetic ADDED events of the initial state on top of the lag allowance.
        let initialCount = start == .currentState ? state.withLock { $0.objects[resource]?.count ?? 0 } + 64 : 0
        let (stream, continuation) = AsyncStream.makeStream(
            of: WatchEvent.self, bufferingPolicy: .bufferingOldest((bufferLimit ?? watchBufferLimit) + initialCount))
        let end = WatchEnd()
        let id = try state.withLock { state throws(KubeStatus) -> Int in
            switch start {
            case .currentState:
                let current = (state.objects[resource] ?? [:]).filter { filter.matches($0.value) }.sorted { $0.key < $1.key }
                for (_, object) in current {
                    continuation.yield(WatchEvent(type: .added, object: object))
                }
            case .after(let version):
                trimExpired(&state)
                let compacted = state.compacted(resource)
                if version < compacted {
                    throw KubeStatus.expired("too old resource version: \(version) (\(compacted + 1))")
                }
                for event in state.history[state.historyStart...] where event.resourceVersion > version && event.resource == resource {
                    if let translated = Self.translate(event, for: filter) { continuation.yield(translated) }
                }
            }
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            state.watchers[id] = Watcher(
                resource: resource, filter: filter, continuation: continuation, isClient: isClient, ended: end)
            return id
        }
        // Never the store's lock here: see `WatchEnd`.
        continuation.onTermination = { _ in end.end() }
        return Subscription(
            events: stream, cancel: { continuation.finish() },
            bookmark: { [weak self] in self?.sendBookmark(to: id, resource: resource) })
    }

    private func sendBookmark(to id: Int, resource: ResourceType) {
        let dropped = state.withLock { state -> AsyncStream<WatchEvent>.Continuation? in
            guard let watcher = state.watchers[id] else { return nil }
            if watcher.ended.isEnded {
                state.watchers[id] = nil
                return watcher.continuation
            }
            let object: JSONValue = [
                "kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion),
                "metadata": ["resourceVersion": .string(String(state.resourceVersion)), "creationTimestamp": nil],
            ]
            guard case .dropped = watcher.continuation.yield(WatchEvent(type: .bookmark, object: object)) else { return nil }
            state.watchers[id] = nil
            return watcher.continuation
        }
        dropped?.finish()
    }

    /// How many watches are open (for tests and diagnostics).
    public var watcherCount: Int {
        let ended = state.withLock { state -> [AsyncStream<WatchEvent>.Continuation] in
            let gone = state.watchers.filter { $0.value.ended.isEnded }
            for id in gone.keys { state.watchers[id] = nil }
            return gone.values.map(\.continuation)
        }
        return withExtendedLifetime(ended) { state.withLock { $0.watchers.count } }
    }

    /// Ends every client watch (the API server stopped answering or shut down).
    public func closeAllWatches() {
        let all = state.withLock { state -> [AsyncStream<WatchEvent>.Continuation] in
            let clients = state.watchers.filter { $0.value.isClient }
            for id in clients.keys { state.watchers[id] = nil }
            return clients.values.map(\.continuation)
        }
        for continuation in all { continuation.finish() }
    }

    // MARK: - Helpers

    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601)
    }

    private static func randomSuffix() -> String {
        // The alphabet Kubernetes uses for generateName (no vowels, no confusable characters).
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement() ?? "x" })
    }
}
