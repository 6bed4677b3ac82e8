import Foundation
import GatewayCore
import HTTPServing
import JSON
import Logging
import Persistence
import Synchronization

/// `GET <root>/spark/{id}/events`: a submission's state transitions as Server-Sent Events (the
/// contract is in docs/api.md, "Status stream").
///
/// A stream sends the recorded history first, then wakes on this replica's monitor
/// (``StatusChangeSignal``) or every `pollIntervalMillis` (other replicas' monitors write the same
/// history), sends what is new, and closes right after a terminal state. Which events to send is
/// decided by GatewayCore's `StatusStreamCursor`; this type holds the I/O: the store, the clock,
/// the writer, the bound on open streams and shutdown.
final class StatusStreamEndpoint: Sendable {
    let settings: GatewaySettings.StatusStream
    let signal: StatusChangeSignal
    private let store: any SubmissionStore
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var open = 0
        var stopping = false
        /// Every open stream's wake-up, to end them at shutdown.
        var wakes: [ObjectIdentifier: Wake] = [:]
    }

    init(settings: GatewaySettings.StatusStream, signal: StatusChangeSignal, store: any SubmissionStore, logger: Logger) {
        self.settings = settings
        self.signal = signal
        self.store = store
        self.logger = logger
    }

    /// Streams open now.
    var openStreams: Int { state.withLock { $0.open } }

    /// Ends every open stream (each closes cleanly after its current write) and refuses new ones with
    /// 503: called before the HTTP server drains, which would otherwise wait for them.
    func shutdown() {
        let wakes = state.withLock { state in
            state.stopping = true
            return Array(state.wakes.values)
        }
        for wake in wakes { wake.finish() }
    }

    /// The response for a caller already authenticated and allowed to see `submissionId` (the route
    /// checks that with the status read, so the answers match status's).
    func response(submissionId: String, request: HTTPRequest) throws -> HTTPResponse {
        let lastEventId: Int
        switch StatusStreamCursor.parseLastEventId(
            header: request.headers["Last-Event-ID"], query: request.queryValue("lastEventId"))
        {
        case .none: lastEventId = 0
        case .success(let value)?: lastEventId = value
        case .failure(let error)?: throw GatewayError(.badRequest, error.message)
        }
        let wake = Wake()
        let admitted = state.withLock { state -> Bool in
            guard !state.stopping, state.open < settings.maxStreams else { return false }
            state.open += 1
            state.wakes[ObjectIdentifier(wake)] = wake
            return true
        }
        guard admitted else {
            throw GatewayError(
                .unavailable, "Too many open status streams; poll \(request.path.replacingOccurrences(of: "/events", with: "/status")) or retry later",
                retryAfterSeconds: 5)
        }
        let cursor = StatusStreamCursor(
            submissionId: submissionId, lastEventId: lastEventId, isTerminal: { SubmissionState.isTerminal($0) })
        return HTTPResponse(
            status: 200,
            headers: [
                "Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                // nginx and similar proxies otherwise buffer the stream.
                "X-Accel-Buffering": "no",
            ],
            body: .stream { [self] writer in
                defer { release(wake) }
                await run(cursor, wake: wake, writer: writer)
            })
    }

    private func release(_ wake: Wake) {
        state.withLock { state in
            state.open -= 1
            state.wakes[ObjectIdentifier(wake)] = nil
        }
        wake.finish()
    }

    private func run(_ start: StatusStreamCursor, wake: Wake, writer: HTTPBodyWriter) async {
        var cursor = start
        let id = cursor.submissionId
        let token = signal.subscribe(id, wake)
        defer { signal.unsubscribe(id, token: token) }
        let poll = Duration.milliseconds(settings.pollIntervalMillis)
        let heartbeat = Duration.milliseconds(settings.heartbeatMillis)
        // Ticks at the poll interval (or the heartbeat's, if shorter) so both are checked in time.
        let ticker = Task { [wake] in
            let tick = min(poll, heartbeat)
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                wake.poke()
            }
        }
        defer { ticker.cancel() }
        let encoder = JSONValueEncoder()
        let clock = ContinuousClock()
        do {
            try await writer.write(StatusStreamCursor.preamble)
            var lastWrite = clock.now
            var wakes = wake.events.makeAsyncIterator()
            while true {
                // Each wake-up (a poke from this replica's monitor, or a tick) reads the history:
                // a handful of indexed rows.
                let step = cursor.advance(try await transitions(id))
                if !step.events.isEmpty {
                    var text = ""
                    for event in step.events {
                        text += StatusStreamCursor.frame(event, json: String(decoding: try encoder.encode(event), as: UTF8.self))
                    }
                    try await writer.write(text)
                    lastWrite = clock.now
                }
                if step.finished { return }
                if clock.now - lastWrite >= heartbeat {
                    try await writer.write(StatusStreamCursor.heartbeat)
                    lastWrite = clock.now
                }
                guard await wakes.next() != nil else { return }  // shutdown
            }
        } catch {
            // The client went away, the server cut the stream, or the store failed: the client
            // reconnects with Last-Event-ID and misses nothing.
            logger.debug("status stream ended", metadata: ["submission_id": "\(id)", "error": "\(error)"])
        }
    }

    /// The submission's transitions, oldest first. A row no gateway has changed yet (BPG's) has no
    /// history: its current state is the first transition (the store writes it as such before the
    /// next change, so the numbering holds).
    func transitions(_ id: String) async throws -> [StatusStreamCursor.Transition] {
        let history = try await store.statusHistory(submissionId: id)
        if !history.isEmpty {
            return history.map {
                StatusStreamCursor.Transition(state: $0.status, observedAt: Timestamp.epochMillis($0.time), message: $0.message)
            }
        }
        guard let record = try await store.submission(id: id), let status = record.status, !status.isEmpty else { return [] }
        let time = record.updatedTime ?? record.createdTime ?? Date(timeIntervalSince1970: 0)
        return [
            StatusStreamCursor.Transition(
                state: status, observedAt: Timestamp.epochMillis(time),
                message: record.errorMessage ?? record.observedMessage(for: status))
        ]
    }
}
