import Foundation
import Synchronization

/// What `bpg submit --wait` shows while a job runs, on standard error. On a terminal: one compact
/// line rewritten in place (a spinner, the states so far, the time waited), ended by a final line.
/// Otherwise (a pipe, a log file, Airflow): one plain line per state, with the time, so the output
/// reads the same in a log.
public final class WaitDisplay: Sendable {
    private struct State {
        var states: [String] = []
        var message: String?
        var frame = 0
        var finished = false
    }

    private let console: any ClientConsole
    private let submissionId: String
    private let interactive: Bool
    private let started: ContinuousClock.Instant
    private let state = Mutex(State())
    private static let spinner = ["|", "/", "-", "\\"]

    /// - Parameter interactive: rewrite one line (a terminal) instead of printing a line per state.
    public init(console: any ClientConsole, submissionId: String, interactive: Bool) {
        self.console = console
        self.submissionId = submissionId
        self.interactive = interactive
        started = .now
    }

    /// A new state arrived.
    public func show(_ change: StateChange) {
        let line: String? = state.withLock { s in
            guard !s.finished else { return nil }
            let isFinal = StateChange.isFinal(change.state, after: s.states)
            if s.states.last != change.state { s.states.append(change.state) }
            s.message = change.message
            if isFinal { s.finished = true }
            if interactive {
                return isFinal ? "\r\u{1B}[2K" + finalLine(s, change) + "\n" : "\r\u{1B}[2K" + progressLine(s)
            }
            return Self.timestamp() + " " + submissionId + " " + change.state
                + (change.message.map { ": " + GatewayClient.oneLine($0) } ?? "") + "\n"
        }
        if let line { console.writeError(line) }
    }

    /// Advances the spinner and the elapsed time (terminal only; call about once a second).
    public func tick() {
        guard interactive else { return }
        let line: String? = state.withLock { s in
            guard !s.finished, !s.states.isEmpty else { return nil }
            s.frame += 1
            return "\r\u{1B}[2K" + progressLine(s)
        }
        if let line { console.writeError(line) }
    }

    /// Ends an unfinished progress line (the watch failed), so an error starts on a line of its own.
    public func interrupt() {
        let pending = state.withLock { s in
            defer { s.finished = true }
            return interactive && !s.finished && !s.states.isEmpty
        }
        if pending { console.writeError("\n") }
    }

    private func progressLine(_ s: State) -> String {
        let path = s.states.suffix(3).joined(separator: " > ")
        let text = "\(Self.spinner[s.frame % Self.spinner.count]) \(submissionId)  \((s.states.count > 3 ? "... > " : "") + path)  \(elapsed())"
        return fitted(text)
    }

    private func finalLine(_ s: State, _ change: StateChange) -> String {
        let mark = change.isSuccess ? "done" : "FAILED"
        return fitted("\(mark) \(submissionId)  \(change.state) after \(elapsed())")
            + (change.message.map { "\n  " + GatewayClient.oneLine($0) } ?? "")
    }

    /// One character short of the width, so the terminal never wraps the line (a wrapped line
    /// could not be rewritten with a carriage return).
    private func fitted(_ text: String) -> String {
        guard let width = console.width, width > 1 else { return text }
        return Table.cut(text, to: width - 1)
    }

    private func elapsed() -> String {
        let seconds = Int((ContinuousClock.now - started).components.seconds)
        return seconds >= 3600
            ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
