import Foundation
import Synchronization

/// What carries a client's requests: libcurl's connection pool (``CurlMultiLoop``), or an in-process
/// exchange (``ExchangeTransport``). Everything above it — credentials, error mapping, decoding,
/// list-then-watch — is the same code for both.
protocol KubeTransport: Sendable {
    /// Runs one exchange; resumes with its outcome. Cancelling the task cancels the transfer.
    func perform(_ request: TransportRequest) async -> TransferOutcome
    /// Fails every transfer in flight with `.shutdown`; later ones fail the same way.
    func shutdown() async
    /// Asks the transport to stop without waiting (from a `deinit`).
    func requestStop()
    /// How many connections were opened so far (0 for an in-process exchange).
    var openedConnections: Int { get }
}

extension CurlMultiLoop: KubeTransport {
    var openedConnections: Int { connectionsOpened.load(ordering: .relaxed) }
}

/// One request as an in-process API server sees it (what would have gone on the wire).
public struct KubeExchangeRequest: Sendable {
    public var method: String
    /// Path and percent-encoded query, starting with `/` (`/api/v1/namespaces/a/pods?limit=500`).
    public var pathAndQuery: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
}

/// The answer of an in-process API server.
public struct KubeExchangeResponse: Sendable {
    /// A body known up front, or one produced chunk by chunk (a watch, a followed log) by a closure
    /// that writes each chunk and returns at the end of the stream. A write throws once the reader
    /// has gone; the producer should then stop.
    public enum Body: Sendable {
        case bytes(Data)
        case stream(@Sendable (_ write: @escaping @Sendable (Data) async throws -> Void) async throws -> Void)
    }

    public var status: Int
    /// Header fields; names are compared case-insensitively.
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// An API server reached without a socket: given a request, answers it.
public typealias KubeExchange = @Sendable (KubeExchangeRequest) async -> KubeExchangeResponse

extension KubernetesClient {
    /// A client whose requests go to `exchange` instead of over the network: an in-process API server
    /// (the project's simulator, a fake), with everything else as over libcurl — credentials are sent,
    /// non-2xx answers become the same `KubeError`s, watches are listed, resumed and relisted by the same
    /// informer, and the configuration's request timeout applies. The configuration's server URL, TLS and
    /// proxy are validated but not used.
    ///
    /// ```swift
    /// let client = try KubernetesClient(configuration: configuration) { request in await myServer.answer(request) }
    /// ```
    public convenience init(configuration: KubeClientConfiguration, exchange: @escaping KubeExchange) throws(KubeError) {
        let profile = try configuration.connectionProfile()
        try self.init(
            configuration: configuration,
            transport: ExchangeTransport(exchange: exchange, profile: profile))
    }
}

/// Runs exchanges in process with libcurl's semantics where the gateway relies on them: a request
/// that outlives the request timeout fails with `.timeout` while the server side goes on (as a real
/// server processes a request nobody waits for), a streamed body is handed over through the same
/// bounded ``StreamBuffer``, and shutdown fails whatever is in flight with `.shutdown`.
final class ExchangeTransport: Sendable {
    private let exchange: KubeExchange
    private let requestTimeout: Duration
    private let maxResponseBytes: Int
    private let streamBufferBytes: Int

    /// Callers waiting for an answer and streams being pumped, so that shutdown can end them.
    private struct State {
        var stopped = false
        var nextID: UInt64 = 0
        var waiting: [UInt64: Pending] = [:]
        var pumps: [UInt64: StreamBuffer] = [:]
    }

    private let state = Mutex(State())

    init(exchange: @escaping KubeExchange, profile: ConnectionProfile) {
        self.exchange = exchange
        self.requestTimeout = profile.requestTimeout
        self.maxResponseBytes = profile.maxResponseBytes
        self.streamBufferBytes = profile.streamBufferBytes
    }

    private static let shutdownFailure = TransferFailure(
        kind: .shutdown, curlCode: -1, function: "perform", message: "client shut down")

    /// The one answer a caller gets: the server's, the timeout, its cancellation or shutdown,
    /// whichever comes first; it may arrive before the caller starts waiting.
    final class Pending: Sendable {
        private struct Slot {
            var continuation: CheckedContinuation<TransferOutcome, Never>?
            var outcome: TransferOutcome?
            var delivered = false
        }
        private let slot = Mutex(Slot())

        /// Returns false when another answer came first (this one is dropped).
        @discardableResult
        func resume(_ outcome: TransferOutcome) -> Bool {
            let (accepted, continuation): (Bool, CheckedContinuation<TransferOutcome, Never>?) = slot.withLock { slot in
                guard !slot.delivered, slot.outcome == nil else { return (false, nil) }
                guard let continuation = slot.continuation else {
                    slot.outcome = outcome
                    return (true, nil)
                }
                slot.continuation = nil
                slot.delivered = true
                return (true, continuation)
            }
            continuation?.resume(returning: outcome)
            return accepted
        }

        func wait() async -> TransferOutcome {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferOutcome, Never>) in
                let ready: TransferOutcome? = slot.withLock { slot in
                    if let outcome = slot.outcome {
                        slot.delivered = true
                        return outcome
                    }
                    slot.continuation = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    private func register(_ pending: Pending) -> UInt64? {
        state.withLock { state in
            guard !state.stopped else { return nil }
            state.nextID += 1
            state.waiting[state.nextID] = pending
            return state.nextID
        }
    }

    private func unregister(_ id: UInt64) {
        _ = state.withLock { $0.waiting.removeValue(forKey: id) }
    }

    private func request(_ transport: TransportRequest) -> KubeExchangeRequest {
        KubeExchangeRequest(
            method: transport.method, pathAndQuery: transport.pathAndQuery, headers: transport.headers, body: transport.body)
    }

    /// The server's answer, computed in a task of its own so that giving up on it (timeout,
    /// cancellation, shutdown) does not stop the server side.
    private func answer(_ transport: TransportRequest) async -> TransferOutcome {
        let exchange = self.exchange
        let request = request(transport)
        let response = await Task { await exchange(request) }.value
        let headers = Dictionary(response.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        if transport.streaming && (200..<300).contains(response.status) {
            return .stream(status: response.status, headers: headers, body: startPump(response.body))
        }
        switch response.body {
        case .bytes(let data):
            if data.count > maxResponseBytes { return .failure(tooLarge()) }
            return .response(TransportResponse(status: response.status, headers: headers, body: data))
        case .stream(let produce):
            let collected = Mutex(Data())
            let limit = maxResponseBytes
            struct TooLarge: Error {}
            do {
                try await produce { chunk in
                    try collected.withLock { data in
                        guard data.count + chunk.count <= limit else { throw TooLarge() }
                        data.append(chunk)
                    }
                }
            } catch is TooLarge {
                return .failure(tooLarge())
            } catch {
                return .failure(TransferFailure(kind: .other, curlCode: -1, function: "exchange", message: "body cut: \(error)"))
            }
            return .response(TransportResponse(status: response.status, headers: headers, body: collected.withLock { $0 }))
        }
    }

    private func tooLarge() -> TransferFailure {
        TransferFailure(kind: .tooLarge, curlCode: -1, function: "exchange", message: "response larger than \(maxResponseBytes) bytes")
    }

    /// Hands a streamed body to the consumer through a bounded buffer: when it is full the producer
    /// waits for the consumer to drain it, as a paused libcurl transfer makes the server wait.
    private func startPump(_ body: KubeExchangeResponse.Body) -> StreamBuffer {
        let buffer = StreamBuffer(limit: streamBufferBytes)
        let id: UInt64? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.nextID += 1
            state.pumps[state.nextID] = buffer
            return state.nextID
        }
        guard let id else {
            buffer.finish(Self.shutdownFailure)
            return buffer
        }
        let gate = ResumeGate()
        Task {
            do {
                switch body {
                case .bytes(let data):
                    if !data.isEmpty { try await Self.offer(data, to: buffer, gate: gate) }
                case .stream(let produce):
                    try await produce { chunk in try await Self.offer(chunk, to: buffer, gate: gate) }
                }
                buffer.finish(nil)
            } catch {
                buffer.finish(error)
            }
            _ = self.state.withLock { $0.pumps.removeValue(forKey: id) }
        }
        // The consumer going away makes the producer's next write throw, as a closed connection
        // does; the pump task is not cancelled. (Cancelling it would run the producer's stream
        // cancellation handlers inside the consumer's call, under the task's status lock: with the
        // simulator's store, which yields to its watch streams under its own lock and takes that
        // lock when a stream is cancelled, that deadlocked both threads.)
        buffer.setControls(resume: { gate.open() }, cancel: { gate.stop() })
        return buffer
    }

    private static func offer(_ chunk: Data, to buffer: StreamBuffer, gate: ResumeGate) async throws {
        while true {
            if gate.isStopped { throw CancellationError() }
            gate.close()
            if buffer.offer(chunk) { return }
            await gate.wait()
        }
    }

    /// A latch the consumer opens when it has drained a full buffer, or for good when it has gone away.
    final class ResumeGate: Sendable {
        private struct State {
            var open = false
            var stopped = false
            var waiter: CheckedContinuation<Void, Never>?
        }
        private let state = Mutex(State())

        var isStopped: Bool { state.withLock { $0.stopped } }

        func close() { state.withLock { $0.open = $0.stopped } }

        /// The consumer has gone: opens for good.
        func stop() {
            state.withLock { $0.stopped = true }
            open()
        }

        func open() {
            state.withLock { state in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let proceed = state.withLock { state in
                    if state.open { return true }
                    state.waiter = continuation
                    return false
                }
                if proceed { continuation.resume() }
            }
        }
    }
}

extension ExchangeTransport: KubeTransport {
    func perform(_ request: TransportRequest) async -> TransferOutcome {
        let pending = Pending()
        guard let id = register(pending) else { return .failure(Self.shutdownFailure) }
        Task {
            let outcome = await self.answer(request)
            // A stream nobody waits for any more is ended, so its producer stops.
            if !pending.resume(outcome), case .stream(_, _, let body) = outcome { body.cancel() }
        }
        // Streams (watches, followed logs) have no total timeout, as over libcurl.
        let timeout = requestTimeout
        let timer: Task<Void, Never>? = request.streaming ? nil : Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            pending.resume(.failure(TransferFailure(
                kind: .timeout, curlCode: -1, function: "exchange", message: "no answer within \(timeout)")))
        }
        let outcome = await withTaskCancellationHandler {
            await pending.wait()
        } onCancel: {
            pending.resume(.failure(TransferFailure(kind: .cancelled, curlCode: -1, function: "exchange", message: "cancelled")))
        }
        timer?.cancel()
        unregister(id)
        return outcome
    }

    func shutdown() async {
        let (waiting, pumps) = state.withLock { state in
            state.stopped = true
            defer {
                state.waiting = [:]
                state.pumps = [:]
            }
            return (Array(state.waiting.values), Array(state.pumps.values))
        }
        for pending in waiting { pending.resume(.failure(Self.shutdownFailure)) }
        for buffer in pumps {
            buffer.finish(Self.shutdownFailure)
            buffer.cancel()
        }
    }

    func requestStop() {
        Task { await self.shutdown() }
    }

    var openedConnections: Int { 0 }
}
