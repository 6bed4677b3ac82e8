import Testing

@testable import KubeClient

/// Every (state, event) pair of the reconnect machine, as a table: what the informer does and where it goes.
struct WatchStateMachineTests {
    enum Start: String, CaseIterable, Sendable {
        case idle, listing, watchingFresh, watchingProgressed, waitingToList, waitingToWatch, stopped
    }

    static let events: [(String, WatchStateMachine.Event)] = [
        ("start", .start),
        ("listSucceeded", .listSucceeded(resourceVersion: "20")),
        ("listFailed", .listFailed),
        ("added", .objectEvent(.added, resourceVersion: "30")),
        ("bookmark", .objectEvent(.bookmark, resourceVersion: "31")),
        ("expired", .expired),
        ("watchFailed", .watchFailed),
        ("streamEnded", .streamEnded),
        ("timerFired", .timerFired),
        ("cancel", .cancel),
    ]

    /// Drives a fresh machine into a start state through its public events.
    static func machine(_ start: Start) -> WatchStateMachine {
        var machine = WatchStateMachine(seed: 42)
        switch start {
        case .idle: break
        case .listing: _ = machine.handle(.start)
        case .watchingFresh:
            _ = machine.handle(.start)
            _ = machine.handle(.listSucceeded(resourceVersion: "10"))
        case .watchingProgressed:
            _ = machine.handle(.start)
            _ = machine.handle(.listSucceeded(resourceVersion: "10"))
            _ = machine.handle(.objectEvent(.modified, resourceVersion: "11"))
        case .waitingToList:
            _ = machine.handle(.start)
            _ = machine.handle(.listFailed)
        case .waitingToWatch:
            _ = machine.handle(.start)
            _ = machine.handle(.listSucceeded(resourceVersion: "10"))
            _ = machine.handle(.watchFailed)
        case .stopped: _ = machine.handle(.cancel)
        }
        return machine
    }

    static func kind(_ action: WatchStateMachine.Action) -> String {
        switch action {
        case .list: "list"
        case .resyncAndWatch(let version): "resyncAndWatch(\(version))"
        case .watch(let version): "watch(\(version))"
        case .deliver: "deliver"
        case .keepReading: "keepReading"
        case .closeAndList: "closeAndList"
        case .closeAndWait: "closeAndWait"
        case .stop: "stop"
        case .ignore: "ignore"
        }
    }

    typealias S = WatchStateMachine.State
    static let stateOf: [Start: S] = [
        .idle: .idle, .listing: .listing,
        .watchingFresh: .watching(resourceVersion: "10", progressed: false),
        .watchingProgressed: .watching(resourceVersion: "11", progressed: true),
        .waitingToList: .waiting(next: .list), .waitingToWatch: .waiting(next: .watch(resourceVersion: "10")),
        .stopped: .stopped,
    ]

    /// The specification: (start, event) → (action, next state). Pairs not listed are ignored and keep the state.
    static let table: [String: (String, S)] = [
        "idle/start": ("list", .listing),
        "listing/listSucceeded": ("resyncAndWatch(20)", .watching(resourceVersion: "20", progressed: false)),
        "listing/listFailed": ("closeAndWait", .waiting(next: .list)),
        "listing/expired": ("closeAndWait", .waiting(next: .list)),
        "watchingFresh/added": ("deliver", .watching(resourceVersion: "30", progressed: true)),
        "watchingFresh/bookmark": ("keepReading", .watching(resourceVersion: "31", progressed: true)),
        "watchingFresh/expired": ("closeAndList", .listing),
        "watchingFresh/watchFailed": ("closeAndWait", .waiting(next: .watch(resourceVersion: "10"))),
        "watchingFresh/streamEnded": ("watch(10)", .watching(resourceVersion: "10", progressed: false)),
        "watchingProgressed/added": ("deliver", .watching(resourceVersion: "30", progressed: true)),
        "watchingProgressed/bookmark": ("keepReading", .watching(resourceVersion: "31", progressed: true)),
        "watchingProgressed/expired": ("closeAndList", .listing),
        "watchingProgressed/watchFailed": ("closeAndWait", .waiting(next: .watch(resourceVersion: "11"))),
        "watchingProgressed/streamEnded": ("watch(11)", .watching(resourceVersion: "11", progressed: false)),
        "waitingToList/timerFired": ("list", .listing),
        "waitingToWatch/timerFired": ("watch(10)", .watching(resourceVersion: "10", progressed: false)),
    ]

    static var allPairs: [(Start, Int)] {
        Start.allCases.flatMap { start in events.indices.map { (start, $0) } }
    }

    @Test(arguments: allPairs)
    func transition(start: Start, eventIndex: Int) {
        let (eventName, event) = Self.events[eventIndex]
        var machine = Self.machine(start)
        #expect(machine.state == Self.stateOf[start], "setup of \(start)")
        let action = machine.handle(event)
        let key = "\(start.rawValue)/\(eventName)"
        if eventName == "cancel" || start == .stopped {
            #expect(Self.kind(action) == "stop", "\(key)")
            #expect(machine.state == .stopped, "\(key)")
        } else if let (expectedAction, expectedState) = Self.table[key] {
            #expect(Self.kind(action) == expectedAction, "\(key)")
            #expect(machine.state == expectedState, "\(key)")
        } else {
            #expect(Self.kind(action) == "ignore", "\(key)")
            #expect(machine.state == Self.stateOf[start], "\(key) keeps the state")
        }
    }

    private func delay(_ action: WatchStateMachine.Action) -> Duration? {
        if case .closeAndWait(let delay) = action { return delay }
        return nil
    }

    @Test func failuresBackOffExponentiallyWithJitterUpToTheCap() throws {
        let backoff = WatchBackoff(initial: .seconds(1), maximum: .seconds(8), jitter: 0.5)
        var machine = WatchStateMachine(backoff: backoff, seed: 7)
        _ = machine.handle(.start)
        _ = machine.handle(.listSucceeded(resourceVersion: "5"))
        var delays: [Duration] = []
        for _ in 0..<6 {
            delays.append(try #require(delay(machine.handle(.watchFailed))))
            #expect(machine.handle(.timerFired) == .watch(resourceVersion: "5"))
        }
        let ceilings: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)]
        for (delay, ceiling) in zip(delays, ceilings) {
            #expect(delay <= ceiling && delay >= ceiling / 2, "\(delay) within [\(ceiling / 2), \(ceiling)]")
        }
        #expect(Set(delays).count > 3, "jitter makes delays differ")
        #expect(machine.failures == 6)
    }

    @Test func aCleanEndReconnectsAtOnceAndResetsTheBackoff() throws {
        var machine = WatchStateMachine(backoff: WatchBackoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0), seed: 1)
        _ = machine.handle(.start)
        _ = machine.handle(.listSucceeded(resourceVersion: "5"))
        for _ in 0..<4 {
            _ = machine.handle(.watchFailed)
            _ = machine.handle(.timerFired)
        }
        #expect(machine.failures == 4)
        #expect(machine.handle(.streamEnded) == .watch(resourceVersion: "5"))
        #expect(machine.failures == 0)
        #expect(delay(machine.handle(.watchFailed)) == .seconds(1), "back to the initial delay")
    }

    @Test func anEventResetsTheBackoffAndMovesTheResumeVersion() {
        var machine = WatchStateMachine(backoff: WatchBackoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0), seed: 1)
        _ = machine.handle(.start)
        _ = machine.handle(.listSucceeded(resourceVersion: "5"))
        _ = machine.handle(.watchFailed)
        _ = machine.handle(.timerFired)
        _ = machine.handle(.watchFailed)
        #expect(machine.handle(.timerFired) == .watch(resourceVersion: "5"))
        #expect(machine.handle(.objectEvent(.bookmark, resourceVersion: "9")) == .keepReading)
        #expect(machine.failures == 0)
        #expect(delay(machine.handle(.watchFailed)) == .seconds(1))
        #expect(machine.handle(.timerFired) == .watch(resourceVersion: "9"), "resumes from the bookmark")
    }

    @Test func anEventWithoutVersionKeepsTheLastOne() {
        var machine = WatchStateMachine(seed: 1)
        _ = machine.handle(.start)
        _ = machine.handle(.listSucceeded(resourceVersion: "5"))
        #expect(machine.handle(.objectEvent(.added, resourceVersion: nil)) == .deliver)
        #expect(machine.handle(.objectEvent(.added, resourceVersion: "")) == .deliver)
        #expect(machine.handle(.streamEnded) == .watch(resourceVersion: "5"))
    }

    @Test func repeatedExpiryWithoutProgressBacksOffInsteadOfLooping() throws {
        var machine = WatchStateMachine(seed: 3)
        _ = machine.handle(.start)
        _ = machine.handle(.listSucceeded(resourceVersion: "5"))
        #expect(machine.handle(.expired) == .closeAndList, "first expiry re-lists at once")
        _ = machine.handle(.listSucceeded(resourceVersion: "6"))
        #expect(delay(machine.handle(.expired)) != nil, "expired again before any event: back off")
        #expect(machine.handle(.timerFired) == .list)
        _ = machine.handle(.listSucceeded(resourceVersion: "7"))
        _ = machine.handle(.objectEvent(.added, resourceVersion: "8"))
        #expect(machine.handle(.expired) == .closeAndList, "after progress, expiry re-lists at once again")
    }

    @Test func theSameSeedGivesTheSameDelays() {
        func run() -> [WatchStateMachine.Action] {
            var machine = WatchStateMachine(seed: 99)
            _ = machine.handle(.start)
            return (0..<5).flatMap { _ in [machine.handle(.listFailed), machine.handle(.timerFired)] }
        }
        #expect(run() == run())
    }
}
