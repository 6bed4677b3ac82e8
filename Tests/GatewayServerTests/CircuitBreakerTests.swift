import GatewayCore
import Testing

@testable import Gateway

/// The breaker's whole transition table (thresholds 3 failures / 2 successes), every start state
/// against every event, plus the threshold edge cases.
struct CircuitBreakerTests {
    typealias Event = CircuitBreaker.Event
    typealias State = CircuitBreaker.State

    /// A start state, reached by a prefix of events from a fresh breaker.
    enum Start: String, CaseIterable, CustomTestStringConvertible {
        case fresh, closedOneFailure, closedTwoFailures, open, halfOpenOneSuccess, halfOpenAfterCoolDown
        var testDescription: String { rawValue }

        var prefix: [Event] {
            switch self {
            case .fresh: []
            case .closedOneFailure: [.failure]
            case .closedTwoFailures: [.failure, .failure]
            case .open: [.failure, .failure, .failure]
            case .halfOpenOneSuccess: [.failure, .failure, .failure, .success]
            case .halfOpenAfterCoolDown: [.failure, .failure, .failure, .coolDownElapsed]
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var start: Start
        var event: Event
        var state: State
        var failures: Int
        var health: GatewayCore.ClusterHealth
        var testDescription: String { "\(start.rawValue) + \(event)" }
    }

    static let thresholds = CircuitBreaker.Thresholds(failureThreshold: 3, recoveryThreshold: 2)

    static let table: [Row] = [
        Row(start: .fresh, event: .success, state: .closed, failures: 0, health: .up),
        Row(start: .fresh, event: .failure, state: .closed, failures: 1, health: .degraded),
        Row(start: .fresh, event: .coolDownElapsed, state: .closed, failures: 0, health: .unknown),
        Row(start: .closedOneFailure, event: .success, state: .closed, failures: 0, health: .up),
        Row(start: .closedOneFailure, event: .failure, state: .closed, failures: 2, health: .degraded),
        Row(start: .closedOneFailure, event: .coolDownElapsed, state: .closed, failures: 1, health: .degraded),
        Row(start: .closedTwoFailures, event: .success, state: .closed, failures: 0, health: .up),
        Row(start: .closedTwoFailures, event: .failure, state: .open, failures: 3, health: .down),
        Row(start: .closedTwoFailures, event: .coolDownElapsed, state: .closed, failures: 2, health: .degraded),
        Row(start: .open, event: .success, state: .halfOpen, failures: 0, health: .degraded),
        Row(start: .open, event: .failure, state: .open, failures: 4, health: .down),
        Row(start: .open, event: .coolDownElapsed, state: .halfOpen, failures: 3, health: .degraded),
        Row(start: .halfOpenOneSuccess, event: .success, state: .closed, failures: 0, health: .up),
        Row(start: .halfOpenOneSuccess, event: .failure, state: .open, failures: 1, health: .down),
        Row(start: .halfOpenOneSuccess, event: .coolDownElapsed, state: .halfOpen, failures: 0, health: .degraded),
        Row(start: .halfOpenAfterCoolDown, event: .success, state: .halfOpen, failures: 0, health: .degraded),
        Row(start: .halfOpenAfterCoolDown, event: .failure, state: .open, failures: 4, health: .down),
        Row(start: .halfOpenAfterCoolDown, event: .coolDownElapsed, state: .halfOpen, failures: 3, health: .degraded),
    ]

    @Test func tableCoversEveryStartAndEvent() {
        let covered = Set(Self.table.map { "\($0.start.rawValue)/\($0.event)" })
        #expect(covered.count == Start.allCases.count * Event.allCases.count)
    }

    @Test(arguments: table)
    func transition(_ row: Row) {
        var breaker = CircuitBreaker(thresholds: Self.thresholds)
        for event in row.start.prefix { breaker.handle(event) }
        let before = breaker.state
        let changed = breaker.handle(row.event)
        #expect(breaker.state == row.state)
        #expect(breaker.consecutiveFailures == row.failures)
        #expect(breaker.health == row.health)
        #expect(changed == (row.state == before ? nil : row.state), "handle returns the new state only when it changed")
    }

    @Test func startStatesAreWhatTheirNamesSay() {
        let expected: [Start: State] = [
            .fresh: .closed, .closedOneFailure: .closed, .closedTwoFailures: .closed, .open: .open,
            .halfOpenOneSuccess: .halfOpen, .halfOpenAfterCoolDown: .halfOpen,
        ]
        for start in Start.allCases {
            var breaker = CircuitBreaker(thresholds: Self.thresholds)
            for event in start.prefix { breaker.handle(event) }
            #expect(breaker.state == expected[start], "\(start)")
        }
    }

    @Test func thresholdOfOneOpensOnTheFirstFailureAndClosesOnTheFirstSuccess() {
        var breaker = CircuitBreaker(thresholds: .init(failureThreshold: 1, recoveryThreshold: 1))
        #expect(breaker.handle(.failure) == .open)
        #expect(breaker.handle(.success) == .closed)
        #expect(breaker.health == .up)
    }

    @Test func thresholdsBelowOneAreClampedToOne() {
        let thresholds = CircuitBreaker.Thresholds(failureThreshold: 0, recoveryThreshold: -2)
        #expect(thresholds.failureThreshold == 1)
        #expect(thresholds.recoveryThreshold == 1)
    }

    @Test func aSuccessBetweenFailuresResetsTheCount() {
        var breaker = CircuitBreaker(thresholds: Self.thresholds)
        for event: Event in [.failure, .failure, .success, .failure, .failure] { breaker.handle(event) }
        #expect(breaker.state == .closed)
        breaker.handle(.failure)
        #expect(breaker.state == .open)
    }

    @Test func aFlappingClusterNeverClosesWithoutConsecutiveSuccesses() {
        var breaker = CircuitBreaker(thresholds: .init(failureThreshold: 2, recoveryThreshold: 3))
        for event: Event in [.failure, .failure] { breaker.handle(event) }
        for _ in 0..<10 {
            breaker.handle(.success)
            breaker.handle(.success)
            #expect(breaker.state == .halfOpen)
            breaker.handle(.failure)
            #expect(breaker.state == .open)
        }
    }
}
