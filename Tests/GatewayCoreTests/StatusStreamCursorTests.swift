import Foundation
import GatewayCore
import Testing

/// What a status stream sends, as a table: history, what the client has, what goes out, and whether
/// the stream is over.
struct StatusStreamCursorTests {
    static let terminal: Set<String> = ["COMPLETED", "FAILED", "SUBMISSION_FAILED", "FENCED"]

    static func history(_ states: String...) -> [StatusStreamCursor.Transition] {
        states.enumerated().map { StatusStreamCursor.Transition(state: $1, observedAt: Int64(1000 * ($0 + 1))) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var history: [StatusStreamCursor.Transition]
        var lastEventId: Int
        var sent: [Int]
        var finished: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing yet", history: [], lastEventId: 0, sent: [], finished: false),
        Case(name: "whole history", history: history("ACCEPTED", "CREATED", "RUNNING"), lastEventId: 0, sent: [1, 2, 3], finished: false),
        Case(name: "resume after 2", history: history("ACCEPTED", "CREATED", "RUNNING"), lastEventId: 2, sent: [3], finished: false),
        Case(name: "up to date", history: history("ACCEPTED", "CREATED"), lastEventId: 2, sent: [], finished: false),
        Case(name: "ahead of the history", history: history("ACCEPTED"), lastEventId: 9, sent: [], finished: false),
        Case(name: "ends at terminal", history: history("ACCEPTED", "RUNNING", "COMPLETED"), lastEventId: 0, sent: [1, 2, 3], finished: true),
        Case(name: "resume after terminal", history: history("ACCEPTED", "COMPLETED"), lastEventId: 2, sent: [], finished: true),
        Case(
            name: "nothing after the first terminal", history: history("ACCEPTED", "SUBMISSION_FAILED", "FAILED"), lastEventId: 0,
            sent: [1, 2], finished: true),
        Case(
            name: "reconnect after the first terminal", history: history("ACCEPTED", "SUBMISSION_FAILED", "FAILED"), lastEventId: 2,
            sent: [], finished: true),
        Case(
            name: "the operator's submission failure is retried, not final",
            history: history("ACCEPTED", "CREATED", "SUBMISSION_FAILED", "SUBMITTED", "RUNNING", "COMPLETED"), lastEventId: 0,
            sent: [1, 2, 3, 4, 5, 6], finished: true),
        Case(
            name: "the operator's submission failure without retries ends in FAILED",
            history: history("ACCEPTED", "CREATED", "SUBMISSION_FAILED"), lastEventId: 0, sent: [1, 2, 3], finished: false),
        Case(
            name: "an unconfirmed create that failed is final",
            history: history("ACCEPTED", "OUTCOME_UNKNOWN", "SUBMISSION_FAILED"), lastEventId: 0, sent: [1, 2, 3], finished: true),
        Case(name: "negative id is zero", history: history("ACCEPTED"), lastEventId: -4, sent: [1], finished: false),
    ]

    @Test(arguments: cases)
    func advance(_ test: Case) {
        var cursor = StatusStreamCursor(submissionId: "s-1", lastEventId: test.lastEventId, isTerminal: { Self.terminal.contains($0) })
        let step = cursor.advance(test.history)
        #expect(step.events.map(\.sequence) == test.sent)
        #expect(step.finished == test.finished)
        for event in step.events {
            #expect(event.submissionId == "s-1")
            #expect(event.state == test.history[event.sequence - 1].state)
            #expect(event.observedAt == Int64(1000 * event.sequence))
        }
        // Nothing is sent twice, and an ended stream stays ended.
        let again = cursor.advance(test.history)
        #expect(again.events.isEmpty)
        #expect(again.finished == test.finished)
    }

    @Test func liveTransitionsFollowTheHistory() {
        var cursor = StatusStreamCursor(submissionId: "s-2", lastEventId: 0, isTerminal: { Self.terminal.contains($0) })
        #expect(cursor.advance(Self.history("ACCEPTED")).events.map(\.state) == ["ACCEPTED"])
        #expect(cursor.advance(Self.history("ACCEPTED", "CREATED", "RUNNING")).events.map(\.state) == ["CREATED", "RUNNING"])
        let last = cursor.advance(Self.history("ACCEPTED", "CREATED", "RUNNING", "FAILED"))
        #expect(last.events.map(\.sequence) == [4])
        #expect(last.finished)
    }

    @Test func framesAndMessages() {
        var cursor = StatusStreamCursor(submissionId: "s-3", lastEventId: 0, isTerminal: { _ in false })
        let events = cursor.advance([
            .init(state: "ACCEPTED", observedAt: 5, message: ""), .init(state: "FAILED", observedAt: 6, message: "boom"),
        ]).events
        #expect(events.map(\.message) == [nil, "boom"])
        #expect(StatusStreamCursor.frame(events[1], json: "{}") == "id: 2\nevent: state\ndata: {}\n\n")
    }

    @Test(arguments: [
        (header: String?.none, query: String?.none, expected: Int?.none, error: false),
        ("7", nil, 7, false), (nil, "3", 3, false), ("2", "9", 2, false), (" 4 ", nil, 4, false), ("", nil, 0, false),
        ("abc", nil, nil, true), ("-1", nil, nil, true), (nil, "1.5", nil, true),
    ])
    func lastEventId(header: String?, query: String?, expected: Int?, error: Bool) {
        let parsed = StatusStreamCursor.parseLastEventId(header: header, query: query)
        switch parsed {
        case .none: #expect(expected == nil && !error)
        case .success(let value)?: #expect(value == expected && !error)
        case .failure(let failure)?:
            #expect(error)
            #expect(failure.message.contains(header != nil ? "Last-Event-ID" : "lastEventId"))
        }
    }
}
