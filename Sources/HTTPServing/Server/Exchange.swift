internal import CGatewayShims
internal import CMicroHTTPD
import Foundation
import Synchronization

// LOCKING RULE (see docs/http-serving.md, "Locks and libmicrohttpd callbacks"):
//
// An `Exchange`'s lock is never held across a libmicrohttpd call that can run one of our request
// callbacks — the access handler, the content reader, the content reader's free callback
// (`streamFreed`) or the request-completed callback — because libmicrohttpd may run it
// synchronously on the calling thread, and that callback takes the same lock again (a Swift
// `Mutex` is not recursive: the process dies with "Recursive call to lock Mutex").
// `MHD_destroy_response` is such a call: when it drops the last reference it runs the free callback
// right there. Every other libmicrohttpd call (`MHD_queue_response`, `MHD_create_response_*`, …) is
// treated the same way, as able to call back. A locked section therefore only decides what to do
// and returns it (responses to destroy or queue, writers to wake, tasks to cancel); the caller acts
// once the lock is released. Continuations are also resumed and tasks cancelled after the lock (a
// task's cancellation handler runs synchronously inside `cancel()`).
//
// The only libmicrohttpd calls made under the lock are `MHD_suspend_connection` and
// `MHD_resume_connection`. Neither runs a request callback (they move the connection between
// lists and signal the daemon's inter-thread channel under libmicrohttpd's own cleanup mutex); the
// only code of ours they can reach is the diagnostic logger, on a failure, which takes
// `ServerCore`'s registry lock and never an `Exchange` lock. They must stay under the lock: the
// suspend is atomic with the check that there is nothing to send (else a write could slip in
// unseen and the connection stay suspended), and the resume is made while `completed` is known to
// be false (once libmicrohttpd completes the request the connection pointer may be freed, and
// stopping the daemon with a connection still suspended is an API violation).

/// A libmicrohttpd pointer that crosses threads.
///
/// `@unchecked Sendable` is safe because off libmicrohttpd's threads the pointer is only used for
/// calls documented as callable from any thread (`MHD_resume_connection`, creating and destroying
/// responses), and a connection pointer only while the owning `Exchange`'s lock says it is still
/// valid (libmicrohttpd has not reported the request complete).
struct MHDPointer: @unchecked Sendable {
    let raw: OpaquePointer
}

/// A libmicrohttpd response with its status, made off the MHD thread and queued on it.
struct PreparedResponse: Sendable {
    var status: UInt32
    var response: MHDPointer
}

/// One request/response exchange on a connection, from its request line to the completion
/// notification. libmicrohttpd's callbacks reach it through `Unmanaged`; handler and producer
/// tasks hold it strongly. All mutable state is behind one lock because MHD threads, handler tasks
/// and stream producers touch it concurrently.
///
/// Life cycle: `.new` (first access-handler call: headers) → `.receiving` (body) → `.handling`
/// (handler running; the connection is suspended if it did not answer synchronously) →
/// `.responded` (response queued; for a stream, the reader callback drains the buffer, suspending
/// the connection while it is empty).
final class Exchange: Sendable {
    enum Phase {
        case new, receiving, handling, responded
    }

    struct State {
        var phase = Phase.new
        var method = HTTPMethod.get
        var headers = HTTPHeaders()
        var peerAddress = ""
        var body = Data()
        var bodyTooLarge = false
        /// Body bytes dropped after the limit was passed.
        var discarded = 0
        /// The connection is suspended by us and must be resumed exactly once.
        var suspended = false
        /// Shutdown deadline passed: never suspend again, drop what is pending.
        var cut = false
        /// libmicrohttpd reported the request finished; the connection pointer is no longer ours.
        var completed = false
        /// A response the handler produced, for the access handler to queue on the MHD thread.
        var pending: PreparedResponse?
        var tasks: [Task<Void, Never>] = []

        // Streaming.
        var chunks: [Data] = []
        var chunkOffset = 0
        var buffered = 0
        var streamFinished = false
        var streamFailed = false
        var streamGone = false
        var writers: [CheckedContinuation<Void, any Error>] = []

        // Streamed request body (a route registered with `streamingBodyUpTo`).
        /// The route's body limit; nil for a buffered body.
        var streamLimit: Int?
        var announcedLength: Int?
        var inbound: [Data] = []
        var inboundBuffered = 0
        var inboundReceived = 0
        var inboundEnded = false
        var inboundFailure: (any Error)?
        /// The handler waiting for the next chunk.
        var inboundReader: CheckedContinuation<Data?, any Error>?
        /// The handler answered before the body's end: what still arrives is dropped.
        var inboundAbandoned = false
    }

    let core: ServerCore
    let connection: MHDPointer
    let target: String
    private let state = Mutex(State())

    init(core: ServerCore, connection: MHDPointer, target: String) {
        self.core = core
        self.connection = connection
        self.target = target
    }

    // MARK: - Access handler (MHD thread)

    /// One call of libmicrohttpd's access handler for this request.
    func access(
        method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?, upload: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>?
    ) -> MHD_Result {
        let phase = state.withLock { $0.phase }
        switch phase {
        case .new:
            return receiveHeaders(method: method, version: version)
        case .receiving:
            let size = uploadSize?.pointee ?? 0
            if size > 0, let upload {
                return receiveBody(upload, size: size, uploadSize: uploadSize)
            }
            return requestComplete()
        case .handling:
            return queuePendingOrPark()
        case .responded:
            // Defensive: never leave body bytes unconsumed once a response is queued.
            uploadSize?.pointee = 0
            return .YES
        }
    }

    private func receiveHeaders(method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?) -> MHD_Result {
        core.connections.headersReceived(connection.raw)
        let methodName = method.map { String(cString: $0) } ?? "GET"
        var fields: [RequestHeadValidator.Field] = []
        withUnsafeMutablePointer(to: &fields) { pointer in
            _ = MHD_get_connection_values_n(connection.raw, .HEADER_KIND, collectField, UnsafeMutableRawPointer(pointer))
        }
        var headers = HTTPHeaders()
        for field in fields {
            headers.add(String(decoding: field.name, as: UTF8.self), String(decoding: field.value, as: UTF8.self))
        }
        var address = [CChar](repeating: 0, count: 64)
        let peer = gw_mhd_connection_peer_address(connection.raw, &address, address.count) == 0
            ? String(decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        state.withLock { state in
            state.method = HTTPMethod(rawValue: methodName)
            state.headers = headers
            state.peerAddress = peer
            state.phase = .receiving
        }
        // Checked before any body byte is taken: a request whose framing or key headers are
        // ambiguous gets one 400, and the connection closes (answering on this first call makes
        // libmicrohttpd close it), so the unread bytes are never served as another request.
        let versionName = version.map { String(cString: $0) } ?? "HTTP/1.1"
        if let problem = RequestHeadValidator.problem(fields: fields, version: versionName) {
            core.logger.debug("request refused before its body", metadata: ["reason": problem])
            return queueFinal(makeResponse(HTTPError(400, "bad request: \(problem)").response(), close: true))
        }
        // A request that starts while the server drains is turned away at once (its connection closes).
        if core.isDraining {
            return queueFinal(makeResponse(
                HTTPError(503, "the server is shutting down", headers: ["Retry-After": "1"]).response(), close: true))
        }
        // A route that streams its body has its own limit and starts its handler now.
        let announced = RequestHeadValidator.contentLength(fields: fields)
        if let target = RequestTarget(self.target),
            let limit = core.responder.streamLimit(HTTPMethod(rawValue: methodName), target.path)
        {
            if let announced, announced > limit {
                return queueFinal(tooLargeResponse(limit: limit))
            }
            startStreamedHandler(target: target, limit: limit, announced: announced)
            return .YES
        }
        // Rejecting here answers before the body is sent (and before `100 Continue`); the
        // connection then closes, which is right since the body is left unread.
        if let announced, announced > core.maxBodyBytes {
            return queueFinal(tooLargeResponse())
        }
        // Queuing nothing on the first call keeps the connection alive (PLATFORM.md pitfall 7).
        return .YES
    }

    private func receiveBody(_ upload: UnsafePointer<CChar>, size: Int, uploadSize: UnsafeMutablePointer<Int>?)
        -> MHD_Result
    {
        if let limit = state.withLock({ $0.streamLimit }) {
            return receiveStreamedBody(upload, size: size, uploadSize: uploadSize, limit: limit)
        }
        let limit = core.maxBodyBytes
        // libmicrohttpd 0.9.75 cannot answer before the body ends, so once the limit is passed the
        // rest is read and dropped (nothing beyond the limit is kept) and the 413 goes out at the
        // end; a client that keeps sending far beyond it is disconnected instead.
        let discardLimit = max(limit, 1 << 20)
        let keepConnection = state.withLock { state -> Bool in
            if state.bodyTooLarge {
                state.discarded += size
                return state.discarded <= discardLimit
            }
            if state.body.count + size > limit {
                state.bodyTooLarge = true
                state.discarded = state.body.count + size - limit
                state.body = Data()
                return true
            }
            state.body.append(UnsafeRawPointer(upload).assumingMemoryBound(to: UInt8.self), count: size)
            return true
        }
        uploadSize?.pointee = 0
        if !keepConnection {
            core.logger.debug("request body far beyond the limit: closing the connection", metadata: ["limit": String(limit)])
        }
        return keepConnection ? .YES : .NO
    }

    private func requestComplete() -> MHD_Result {
        if state.withLock({ $0.streamLimit != nil }) {
            return streamedRequestComplete()
        }
        enum Next {
            case tooLarge, badTarget, closeConnection
            case handle(HTTPRequest)
        }
        let next = state.withLock { state -> Next in
            if state.bodyTooLarge { return .tooLarge }
            if state.cut { return .closeConnection }
            guard let target = RequestTarget(self.target) else { return .badTarget }
            let request = HTTPRequest(
                method: state.method, path: target.path, query: target.query, headers: state.headers,
                body: state.body, peerAddress: state.peerAddress)
            state.body = Data()
            state.phase = .handling
            return .handle(request)
        }
        switch next {
        case .tooLarge:
            return queueFinal(tooLargeResponse())
        case .badTarget:
            return queueFinal(makeResponse(HTTPError(400, "invalid percent-encoding in the request target").response()))
        case .closeConnection:
            return .NO
        case .handle(let request):
            // The handler starts right here, on the MHD thread, and runs until its first real
            // suspension; from there it continues on the global executor. A handler that never
            // suspends answers without any thread hop or suspend/resume round trip.
            let task = Task.immediate { [self] in
                let response = await core.responder.respond(to: request, logger: core.logger)
                deliver(response, head: request.method == .head)
            }
            return queuePendingOrPark(keeping: task)
        }
    }

    /// Queues the handler's response if it is ready; otherwise suspends the connection until
    /// `deliver` resumes it (libmicrohttpd then calls the access handler, which comes back here).
    private func queuePendingOrPark(keeping task: Task<Void, Never>? = nil) -> MHD_Result {
        enum Next {
            case queue(PreparedResponse)
            case parked
            case abandon
        }
        let next = state.withLock { state -> Next in
            if let pending = state.pending {
                state.pending = nil
                state.phase = .responded
                return .queue(pending)
            }
            if state.cut { return .abandon }
            if let task { state.tasks.append(task) }
            MHD_suspend_connection(connection.raw)
            state.suspended = true
            return .parked
        }
        switch next {
        case .queue(let pending):
            let result = MHD_queue_response(connection.raw, pending.status, pending.response.raw)
            MHD_destroy_response(pending.response.raw)
            return result
        case .parked:
            return .YES
        case .abandon:
            task?.cancel()
            return .NO
        }
    }

    /// Queues a response the server makes itself (413, 400) from the access handler.
    private func queueFinal(_ prepared: PreparedResponse?) -> MHD_Result {
        guard let prepared else { return .NO }
        let result = MHD_queue_response(connection.raw, prepared.status, prepared.response.raw)
        MHD_destroy_response(prepared.response.raw)
        if result == .YES {
            state.withLock { $0.phase = .responded }
        }
        return result
    }

    private func tooLargeResponse(limit: Int? = nil) -> PreparedResponse? {
        makeResponse(HTTPRequestBody.tooLarge(limit ?? core.maxBodyBytes).response(), close: true)
    }

    // MARK: - Streamed request body

    /// Bytes a handler that answered early leaves unread before the connection is dropped: the
    /// response can only go out after the body's end (libmicrohttpd 0.9.75), and reading gigabytes
    /// just to answer is worse than closing.
    private static let streamedDiscardLimit = 4 << 20

    /// Starts the handler of a streamed-body route right after the headers (MHD thread).
    private func startStreamedHandler(target: RequestTarget, limit: Int, announced: Int?) {
        let request = state.withLock { state -> HTTPRequest in
            state.streamLimit = limit
            state.announcedLength = announced
            var request = HTTPRequest(
                method: state.method, path: target.path, query: target.query, headers: state.headers,
                peerAddress: state.peerAddress)
            request.bodyStream = HTTPRequestBody(source: ExchangeBodySource(exchange: self))
            return request
        }
        let task = Task { [self] in
            let response = await core.responder.respond(to: request, logger: core.logger)
            deliver(response, head: request.method == .head)
        }
        state.withLock { $0.tasks.append(task) }
    }

    /// One piece of a streamed body (MHD thread): hands it to the waiting handler or buffers it;
    /// past `requestBodyBufferBytes` buffered, suspends the connection so libmicrohttpd stops
    /// reading the socket until the handler catches up (`nextBodyChunk` resumes it).
    private func receiveStreamedBody(
        _ upload: UnsafePointer<CChar>, size: Int, uploadSize: UnsafeMutablePointer<Int>?, limit: Int
    ) -> MHD_Result {
        var wake: (CheckedContinuation<Data?, any Error>, Result<Data?, any Error>)?
        let keepConnection = state.withLock { state -> Bool in
            state.inboundReceived += size
            // Shutdown deadline: libmicrohttpd closes the connection when we refuse.
            if state.cut { return false }
            if state.inboundAbandoned || state.bodyTooLarge || state.inboundFailure != nil {
                state.discarded += size
                return state.discarded <= Self.streamedDiscardLimit
            }
            if state.inboundReceived > limit {
                state.bodyTooLarge = true
                state.inbound = []
                state.inboundBuffered = 0
                let failure = HTTPRequestBody.tooLarge(limit)
                state.inboundFailure = failure
                if let reader = state.inboundReader {
                    state.inboundReader = nil
                    wake = (reader, .failure(failure))
                }
                return true
            }
            let chunk = Data(bytes: upload, count: size)
            if let reader = state.inboundReader {
                state.inboundReader = nil
                wake = (reader, .success(chunk))
                return true
            }
            state.inbound.append(chunk)
            state.inboundBuffered += size
            core.requestBodyBufferedPeak.max(state.inboundBuffered)
            if state.inboundBuffered >= core.requestBodyBufferBytes, !state.suspended {
                MHD_suspend_connection(connection.raw)
                state.suspended = true
            }
            return true
        }
        uploadSize?.pointee = 0
        if let (reader, result) = wake {
            reader.resume(with: result)
        }
        if !keepConnection {
            core.logger.debug("streamed request body left unread: closing the connection")
        }
        return keepConnection ? .YES : .NO
    }

    /// The end of a streamed body (MHD thread): ends the handler's stream, then waits for or
    /// queues its response like a buffered request.
    private func streamedRequestComplete() -> MHD_Result {
        enum Next {
            case tooLarge(Int)
            case early, closeConnection
            case handling(CheckedContinuation<Data?, any Error>?)
        }
        let next = state.withLock { state -> Next in
            if state.cut { return .closeConnection }
            // A zero-length call before the announced length arrived is not the end.
            if let announced = state.announcedLength, state.inboundReceived < announced, !state.bodyTooLarge,
                !state.inboundAbandoned
            {
                return .early
            }
            if state.bodyTooLarge { return .tooLarge(state.streamLimit ?? core.maxBodyBytes) }
            state.inboundEnded = true
            state.phase = .handling
            if state.inbound.isEmpty, let reader = state.inboundReader {
                state.inboundReader = nil
                return .handling(reader)
            }
            return .handling(nil)
        }
        switch next {
        case .early:
            return .YES
        case .closeConnection:
            return .NO
        case .tooLarge(let limit):
            let pending = state.withLock { state -> PreparedResponse? in
                defer { state.pending = nil }
                return state.pending
            }
            if let pending { MHD_destroy_response(pending.response.raw) }
            return queueFinal(tooLargeResponse(limit: limit))
        case .handling(let reader):
            reader?.resume(returning: nil)
            return queuePendingOrPark()
        }
    }

    /// `HTTPRequestBody`'s next chunk (handler task): nil at the end; throws past the limit or
    /// when the client is gone.
    func nextBodyChunk() async throws -> Data? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data?, any Error>) in
            let now = state.withLock { state -> Result<Data?, any Error>? in
                if let failure = state.inboundFailure { return .failure(failure) }
                if !state.inbound.isEmpty {
                    let chunk = state.inbound.removeFirst()
                    state.inboundBuffered -= chunk.count
                    // Resumed once half the window is free, not for every chunk taken.
                    if state.phase == .receiving, state.inboundBuffered <= core.requestBodyBufferBytes / 2 {
                        resumeIfSuspended(&state)
                    }
                    return .success(chunk)
                }
                if state.inboundEnded { return .success(nil) }
                if state.cut { return .failure(HTTPServerError.streamCancelled) }
                if state.completed { return .failure(HTTPServerError.clientDisconnected) }
                if state.inboundReader != nil { return .failure(HTTPServerError.invalidConfiguration("bodyStream", "read from two tasks at once")) }
                // Nothing buffered: make sure libmicrohttpd is reading.
                if state.phase == .receiving { resumeIfSuspended(&state) }
                state.inboundReader = continuation
                return nil
            }
            if let now {
                continuation.resume(with: now)
            }
        }
    }

    // MARK: - Handler task

    /// Turns the handler's response into a libmicrohttpd response and wakes the connection.
    private func deliver(_ response: HTTPResponse, head: Bool) {
        guard let prepared = makeResponse(response, head: head) else {
            // The response could not be built (libmicrohttpd out of memory): drop the connection.
            cut()
            return
        }
        let accepted = state.withLock { state -> Bool in
            guard !state.completed, !state.cut else { return false }
            if state.streamLimit != nil, state.phase == .receiving {
                state.inboundAbandoned = true
                state.inbound = []
                state.inboundBuffered = 0
            }
            state.pending = prepared
            resumeIfSuspended(&state)
            return true
        }
        if !accepted {
            // After the lock: for a stream this runs `streamFreed` → `streamReleased`.
            MHD_destroy_response(prepared.response.raw)
        }
    }

    /// Builds the libmicrohttpd response; for a stream, also starts its producer task.
    private func makeResponse(_ response: HTTPResponse, head: Bool = false, close: Bool = false)
        -> PreparedResponse?
    {
        let raw: OpaquePointer?
        switch response.body {
        case .bytes(let data):
            raw = data.withUnsafeBytes { bytes in
                MHD_create_response_from_buffer(
                    bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
            }
        case .stream(let produce):
            // The response holds a reference, released by `streamReleased` when MHD frees it.
            let context = Unmanaged.passRetained(self).toOpaque()
            raw = MHD_create_response_from_callback(
                UInt64.max /* MHD_SIZE_UNKNOWN: chunked */, 32 << 10, streamReader, context, streamFreed)
            if raw == nil {
                Unmanaged<Exchange>.fromOpaque(context).release()
            } else if head {
                state.withLock { $0.streamFinished = true }
            } else {
                let task = Task { [self] in
                    do {
                        try await produce(HTTPBodyWriter { try await self.write($0) })
                        finishStream(failed: false)
                    } catch {
                        core.logger.debug("response stream ended with an error", metadata: ["error": "\(error)"])
                        finishStream(failed: true)
                    }
                }
                state.withLock { $0.tasks.append(task) }
            }
        }
        guard let raw else { return nil }
        for (name, value) in response.headers where !Self.managedHeaders.contains(name.lowercased()) {
            if MHD_add_response_header(raw, name, value) != .YES {
                core.logger.debug("response header refused", metadata: ["header": name])
            }
        }
        if close || core.isDraining {
            _ = MHD_add_response_header(raw, "Connection", "close")
        }
        let status = (100...999).contains(response.status) ? UInt32(response.status) : 500
        return PreparedResponse(status: status, response: MHDPointer(raw: raw))
    }

    /// Framing headers libmicrohttpd computes itself; a handler's copy would contradict it.
    private static let managedHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "date"]

    // MARK: - Streaming

    /// `HTTPBodyWriter.write` for a server stream: buffers, wakes the connection, waits for room.
    func write(_ bytes: Data) async throws {
        let limit = core.streamBufferBytes
        while true {
            let appended = try state.withLock { state -> Bool in
                try Self.checkWritable(state)
                guard state.buffered < limit else { return false }
                state.chunks.append(bytes)
                state.buffered += bytes.count
                resumeIfSuspended(&state)
                return true
            }
            if appended { return }
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now = state.withLock { state -> Result<Void, any Error>? in
                    do {
                        try Self.checkWritable(state)
                        guard state.buffered < limit else {
                            state.writers.append(continuation)
                            return nil
                        }
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
                if let now {
                    continuation.resume(with: now)
                }
            }
        }
    }

    private static func checkWritable(_ state: State) throws {
        if state.cut { throw HTTPServerError.streamCancelled }
        if state.streamGone || state.completed || state.streamFinished { throw HTTPServerError.clientDisconnected }
    }

    private func finishStream(failed: Bool) {
        state.withLock { state in
            state.streamFinished = true
            state.streamFailed = failed
            resumeIfSuspended(&state)
        }
    }

    /// libmicrohttpd's content reader (MHD thread): copies buffered bytes, or suspends the
    /// connection until the producer writes (returning 0 without suspending would busy-loop).
    func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        var waking: [CheckedContinuation<Void, any Error>] = []
        let result = state.withLock { state -> Int in
            if state.cut || state.streamGone { return MHD_CONTENT_READER_END_WITH_ERROR }
            if state.buffered == 0 {
                if state.streamFinished {
                    return state.streamFailed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM
                }
                MHD_suspend_connection(connection.raw)
                state.suspended = true
                return 0
            }
            var copied = 0
            while copied < max, !state.chunks.isEmpty {
                let chunk = state.chunks[0]
                let available = chunk.count - state.chunkOffset
                let count = min(available, max - copied)
                chunk.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    (buffer + copied).withMemoryRebound(to: UInt8.self, capacity: count) { destination in
                        destination.update(
                            from: base.advanced(by: state.chunkOffset).assumingMemoryBound(to: UInt8.self), count: count)
                    }
                }
                copied += count
                if count == available {
                    state.chunks.removeFirst()
                    state.chunkOffset = 0
                } else {
                    state.chunkOffset += count
                }
            }
            state.buffered -= copied
            if state.buffered < core.streamBufferBytes {
                waking = state.writers
                state.writers = []
            }
            return copied
        }
        for writer in waking {
            writer.resume()
        }
        return result
    }

    /// libmicrohttpd freed the stream response: the stream is over whatever the producer thinks.
    func streamReleased() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.streamGone = true
            defer { state.writers = [] }
            return state.writers
        }
        for writer in waiting {
            writer.resume(throwing: HTTPServerError.clientDisconnected)
        }
    }

    // MARK: - Completion and shutdown

    /// libmicrohttpd finished the request (normally or not); the connection is no longer ours.
    func completed() {
        let (pending, waiting, reader) = state.withLock { state in
            state.completed = true
            state.suspended = false
            if state.streamLimit != nil, !state.inboundEnded, state.inboundFailure == nil {
                state.inboundFailure = HTTPServerError.clientDisconnected
            }
            defer {
                state.pending = nil
                state.writers = []
                state.inboundReader = nil
            }
            return (state.pending, state.writers, state.inboundReader)
        }
        reader?.resume(throwing: HTTPServerError.clientDisconnected)
        // After the lock: destroying a stream response runs `streamFreed` → `streamReleased` on this
        // thread, which takes the lock.
        if let pending {
            MHD_destroy_response(pending.response.raw)
        }
        for writer in waiting {
            writer.resume(throwing: HTTPServerError.clientDisconnected)
        }
    }

    /// Abandons the exchange at the shutdown deadline: cancels its tasks, wakes the connection so
    /// libmicrohttpd closes it, and makes pending writes throw.
    func cut() {
        let (pending, tasks, waiting, reader) = state.withLock { state in
            state.cut = true
            resumeIfSuspended(&state)
            if state.streamLimit != nil, !state.inboundEnded, state.inboundFailure == nil {
                state.inboundFailure = HTTPServerError.streamCancelled
            }
            defer {
                state.pending = nil
                state.writers = []
                state.tasks = []
                state.inboundReader = nil
            }
            return (state.pending, state.tasks, state.writers, state.inboundReader)
        }
        reader?.resume(throwing: HTTPServerError.streamCancelled)
        // After the lock, as in `completed`.
        if let pending {
            MHD_destroy_response(pending.response.raw)
        }
        for task in tasks {
            task.cancel()
        }
        for writer in waiting {
            writer.resume(throwing: HTTPServerError.streamCancelled)
        }
    }

    /// Resumes the connection if we suspended it. Called with the lock held, so `completed` cannot
    /// flip (and the connection be freed) in between; `MHD_resume_connection` runs none of our
    /// request callbacks (see the locking rule at the top of this file).
    private func resumeIfSuspended(_ state: inout State) {
        guard state.suspended, !state.completed else { return }
        state.suspended = false
        MHD_resume_connection(connection.raw)
    }
}

/// `MHD_KeyValueIteratorN` collecting request header fields, with their lengths (so that a NUL
/// inside a value is seen rather than cutting it), into the array behind `context`.
private let collectField: MHD_KeyValueIteratorN = { context, _, key, keySize, value, valueSize in
    guard let context, let key else { return .YES }
    let fields = context.assumingMemoryBound(to: [RequestHeadValidator.Field].self)
    let name = UnsafeRawBufferPointer(start: key, count: keySize)
    let bytes = value.map { UnsafeRawBufferPointer(start: $0, count: valueSize) }
    fields.pointee.append(RequestHeadValidator.Field(name: Array(name), value: bytes.map { Array($0) } ?? []))
    return .YES
}

/// `MHD_ContentReaderCallback` for streamed bodies; the context is a retained `Exchange`.
private let streamReader: MHD_ContentReaderCallback = { context, _, buffer, max in
    guard let context, let buffer else { return MHD_CONTENT_READER_END_WITH_ERROR }
    return Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue().read(into: buffer, max: max)
}

/// `MHD_ContentReaderFreeCallback`: balances the retain taken when the stream response was made.
private let streamFreed: MHD_ContentReaderFreeCallback = { context in
    guard let context else { return }
    let exchange = Unmanaged<Exchange>.fromOpaque(context)
    exchange.takeUnretainedValue().streamReleased()
    exchange.release()
}

/// The server side of `HTTPRequestBody`: chunks come from the exchange.
private struct ExchangeBodySource: RequestBodySource {
    let exchange: Exchange

    func next() async throws -> Data? {
        try await exchange.nextBodyChunk()
    }
}

extension Atomic where Value == Int {
    /// Raises the stored value to `value` if it is larger.
    func max(_ value: Int) {
        var current = load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
