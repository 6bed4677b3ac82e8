/// The reconnect logic of a list-then-watch informer, as a pure state machine: the driver feeds it
/// what happened and does what it answers. No I/O, no clock, no global randomness (a seeded
/// generator makes the jitter reproducible), so every transition is tested without sockets.
///
/// Rules:
/// - start with a list; a successful list resets the backoff, delivers a resync and watches from the
///   list's `resourceVersion`;
/// - each object event (and BOOKMARK) advances the version to resume from; object events are delivered;
/// - a clean end of the stream (the server's `timeoutSeconds`) re-watches at once and resets the backoff;
/// - 410 Gone/Expired (as an ERROR event or as the HTTP status) re-lists at once — unless the previous
///   watch also expired without a single event, which then backs off first (no hot loop);
/// - any other failure (transport, 5xx, ERROR event, undecodable line) backs off exponentially with
///   jitter, then re-watches from the last version (or re-lists, if the list failed);
/// - cancel stops everything, from any state.
public struct WatchStateMachine: Sendable {
    /// Where the informer is.
    public enum State: Sendable, Hashable {
        case idle
        case listing
        /// Reading a watch stream that resumes from `resourceVersion`; `progressed` once an event arrived.
        case watching(resourceVersion: String, progressed: Bool)
        /// Waiting out a backoff, then `next`.
        case waiting(next: Retry)
        case stopped
    }

    /// What follows a backoff.
    public enum Retry: Sendable, Hashable {
        case list
        case watch(resourceVersion: String)
    }

    /// The kind of a decoded watch line that carried an object.
    public enum ObjectEventKind: Sendable, Hashable, CaseIterable {
        case added, modified, deleted, bookmark
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        case start
        case listSucceeded(resourceVersion: String)
        case listFailed
        /// An object event (or BOOKMARK) with the object's `metadata.resourceVersion`.
        case objectEvent(ObjectEventKind, resourceVersion: String?)
        /// 410 Gone/Expired, as an ERROR event on the stream or as the HTTP status of the watch request.
        case expired
        /// An ERROR event with any other status, an undecodable line, or a failure opening or reading the stream.
        case watchFailed
        /// The server ended the stream normally.
        case streamEnded
        /// The backoff delay has passed.
        case timerFired
        case cancel
    }

    /// What to do.
    public enum Action: Sendable, Hashable {
        /// List (all pages).
        case list
        /// Deliver the list as a resync, then open a watch from `resourceVersion`.
        case resyncAndWatch(resourceVersion: String)
        /// Open a watch from `resourceVersion` (empty: from now).
        case watch(resourceVersion: String)
        /// Deliver the event just decoded and keep reading.
        case deliver
        /// Keep reading (a BOOKMARK moved the version).
        case keepReading
        /// Close the stream (if open) and list again now.
        case closeAndList
        /// Close the stream (if open) and wait this long, then send `timerFired`.
        case closeAndWait(Duration)
        /// Close everything; the informer ends.
        case stop
        /// The event does not apply in this state (a late callback); do nothing.
        case ignore
    }

    public private(set) var state: State = .idle
    /// Failures since the last progress; drives the backoff exponent.
    public private(set) var failures = 0
    /// Whether the last watch expired without delivering anything.
    private var expiredWithoutProgress = false
    private let backoff: WatchBackoff
    private var random: SplitMix64

    public init(backoff: WatchBackoff = WatchBackoff(), seed: UInt64) {
        self.backoff = backoff
        self.random = SplitMix64(seed: seed)
    }

    /// Feeds one event and returns the action to take.
    public mutating func handle(_ event: Event) -> Action {
        if case .cancel = event {
            state = .stopped
            return .stop
        }
        switch (state, event) {
        case (.stopped, _):
            return .stop

        case (.idle, .start):
            state = .listing
            return .list

        case (.listing, .listSucceeded(let version)):
            failures = 0
            state = .watching(resourceVersion: version, progressed: false)
            return .resyncAndWatch(resourceVersion: version)
        case (.listing, .listFailed), (.listing, .expired):
            return backOff(then: .list)

        case (.watching(let version, _), .objectEvent(let kind, let newVersion)):
            failures = 0
            expiredWithoutProgress = false
            let resume = newVersion.flatMap { $0.isEmpty ? nil : $0 } ?? version
            state = .watching(resourceVersion: resume, progressed: true)
            return kind == .bookmark ? .keepReading : .deliver
        case (.watching(_, let progressed), .expired):
            if progressed || !expiredWithoutProgress {
                expiredWithoutProgress = !progressed
                state = .listing
                return .closeAndList
            }
            return backOff(then: .list)
        case (.watching(let version, _), .watchFailed):
            return backOff(then: .watch(resourceVersion: version))
        case (.watching(let version, _), .streamEnded):
            failures = 0
            state = .watching(resourceVersion: version, progressed: false)
            return .watch(resourceVersion: version)

        case (.waiting(let next), .timerFired):
            switch next {
            case .list:
                state = .listing
                return .list
            case .watch(let version):
                state = .watching(resourceVersion: version, progressed: false)
                return .watch(resourceVersion: version)
            }

        default:
            return .ignore
        }
    }

    private mutating func backOff(then next: Retry) -> Action {
        failures += 1
        state = .waiting(next: next)
        return .closeAndWait(backoff.delay(attempt: failures, unit: random.nextUnit()))
    }
}

/// A tiny seeded generator (SplitMix64): reproducible jitter in tests, cheap in production.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
