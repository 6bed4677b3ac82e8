import Foundation
import HTTPClient

/// How ``GatewayClient/watch(_:options:)`` follows a submission.
public struct WatchOptions: Sendable {
    /// Between two status reads when the server has no status stream.
    public var pollInterval: Duration = .seconds(2)
    /// Consecutive failed (re)connections or reads before giving up; any state received resets it.
    public var maxConsecutiveFailures = 5
    /// Called once the way of watching is known (for `--wait`'s display and for tests).
    public var onSource: (@Sendable (WatchSource) -> Void)?

    public init(pollInterval: Duration = .seconds(2), maxConsecutiveFailures: Int = 5, onSource: (@Sendable (WatchSource) -> Void)? = nil) {
        self.pollInterval = pollInterval
        self.maxConsecutiveFailures = maxConsecutiveFailures
        self.onSource = onSource
    }
}

/// Where the states come from.
public enum WatchSource: String, Sendable {
    /// `GET <root>/spark/{id}/events` (Server-Sent Events).
    case stream
    /// `GET <root>/spark/{id}/status`, read every `pollInterval` (servers without the stream, BPG).
    case polling
}

extension GatewayClient {
    /// The submission's states as they change, oldest first, ending after a final one
    /// (``StateChange/isFinal``). Uses the status stream, resuming after the last event id when the
    /// connection drops; falls back to polling `/status` when the server answers the stream with
    /// 404 or 405 while `/status` knows the id, or with 503 (no stream free) at the first connection. Throws ``GatewayClientError`` (404 for an unknown id).
    ///
    /// ```swift
    /// for try await change in client.watch(id) where change.isFinal {
    ///     exit(change.isSuccess ? 0 : 1)
    /// }
    /// ```
    public func watch(_ id: String, options: WatchOptions = WatchOptions()) -> AsyncThrowingStream<StateChange, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do throws(GatewayClientError) {
                    try await self.followStream(id, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func followStream(
        _ id: String, options: WatchOptions, emit: (StateChange) -> Void
    ) async throws(GatewayClientError) {
        var lastEventId: String?
        var failures = 0
        var retry = Duration.milliseconds(3000)
        var seen: [String] = []
        var announced = false
        func failed(_ error: GatewayClientError) async throws(GatewayClientError) {
            failures += 1
            if failures > options.maxConsecutiveFailures { throw error }
            try? await Task.sleep(for: retry)
        }
        while !Task.isCancelled {
            var extra = [("Accept", "text/event-stream"), ("Cache-Control", "no-cache")]
            if let lastEventId { extra.append(("Last-Event-ID", lastEventId)) }
            let answer: HTTPStreamedResponse
            do {
                // The stream sends a heartbeat every 15 s, so the transport's idle timeout (60 s) still
                // catches a connection that died silently; the resume below picks up after it.
                answer = try await transport.stream(
                    HTTPExchangeRequest(method: "GET", url: endpoint.base + "/spark/\(Self.segment(id))/events", headers: headers(extra)))
            } catch {
                try await failed(.unreachable("\(error)"))
                continue
            }
            if answer.status == 404 || answer.status == 405 || (answer.status == 503 && !announced) {
                // 404/405: either the id is unknown (then /status says so too) or the server has no
                // stream. 503 before any stream: the server has as many streams open as it allows;
                // status reads still work, and a job's outcome must not depend on a free stream.
                if answer.status != 503 { _ = try await statusDocument(id) }
                options.onSource?(.polling)
                try await poll(id, options: options, emit: emit)
                return
            }
            guard (200..<300).contains(answer.status) else {
                let error = Self.failure(status: answer.status, body: answer.errorBody)
                guard answer.status >= 500 else { throw error }
                try await failed(error)
                continue
            }
            if !announced {
                announced = true
                options.onSource?(.stream)
            }
            var parser = ServerSentEventParser()
            do {
                for try await chunk in answer {
                    let events: [ServerSentEvent]
                    do {
                        events = try parser.feed(chunk)
                    } catch {
                        answer.cancel()
                        throw error
                    }
                    if let millis = parser.retryMillis { retry = .milliseconds(max(100, millis)) }
                    for event in events where event.event == "state" {
                        let change = try StateChange(eventData: event.data, fallbackId: id)
                        failures = 0
                        emit(change)
                        if StateChange.isFinal(change.state, after: seen) {
                            answer.cancel()
                            return
                        }
                        seen.append(change.state)
                    }
                }
            } catch let error as GatewayClientError {
                throw error
            } catch {
                // The connection dropped mid-stream: resume below.
            }
            lastEventId = parser.lastEventId ?? lastEventId
            try await failed(.unreachable("the status stream of \(id) closed before the job ended"))
        }
    }

    private func poll(_ id: String, options: WatchOptions, emit: (StateChange) -> Void) async throws(GatewayClientError) {
        var last: String?
        var seen: [String] = []
        var failures = 0
        while !Task.isCancelled {
            do {
                let status = try await status(id)
                failures = 0
                if status.applicationState != last {
                    last = status.applicationState
                    let change = StateChange(submissionId: id, state: status.applicationState, message: status.applicationErrorMessage)
                    emit(change)
                    if StateChange.isFinal(change.state, after: seen) { return }
                    seen.append(change.state)
                }
            } catch {
                if error.status == 404, last != nil {
                    emit(StateChange(submissionId: id, state: StateChange.killed, message: "the application was deleted"))
                    return
                }
                let transient = error.status.map { $0 >= 500 } ?? (error.reason == "unreachable")
                failures += 1
                if !transient || failures > options.maxConsecutiveFailures { throw error }
            }
            try? await Task.sleep(for: options.pollInterval)
        }
    }
}
