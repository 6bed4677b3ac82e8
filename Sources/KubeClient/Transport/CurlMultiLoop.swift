internal import CCurl
internal import CGatewayShims
import Foundation
import Synchronization

/// Owns one `CURLM*` multi handle and the dedicated thread that drives it: every transfer of one
/// cluster runs here, so connections (and TLS sessions) are reused across calls and HTTP/2 streams
/// are multiplexed, and no blocking libcurl call ever runs on Swift's cooperative pool.
///
/// Callers submit work through a locked command queue and `curl_multi_wakeup`; completions resume
/// their continuations from the loop thread.
///
/// `@unchecked Sendable`: the multi handle and `transfers` are touched only by the loop thread (after
/// `init` hands them over); the only cross-thread calls are `curl_multi_wakeup`, which libcurl
/// documents as thread-safe, and the `Mutex`-protected command queue.
final class CurlMultiLoop: @unchecked Sendable {
    private enum Command: Sendable {
        case add(id: UInt64, request: TransportRequest, completion: @Sendable (TransferOutcome) -> Void)
        /// From the caller's task: may arrive before the `add` it cancels.
        case cancel(UInt64)
        /// From a stream consumer: the transfer started (or already ended).
        case cancelStarted(UInt64)
        case resume(UInt64)
    }

    private struct Queue {
        var commands: [Command] = []
        var stopping = false
        var stopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let profile: ConnectionProfile
    private let queue = Mutex(Queue())
    private let nextID = Atomic<UInt64>(1)
    /// New TCP connections opened so far (`CURLINFO_NUM_CONNECTS` summed): reuse keeps this at one.
    let connectionsOpened = Atomic<Int>(0)
    /// Loop thread only.
    private var transfers: [UInt64: CurlEasyHandle] = [:]
    private var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
    private var cancelledBeforeStart: Set<UInt64> = []

    init(profile: ConnectionProfile) throws(TransferFailure) {
        CurlRuntime.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw TransferFailure(kind: .setup, curlCode: -1, function: "curl_multi_init", message: "out of memory")
        }
        self.multi = multi
        self.profile = profile
        // Keep a few idle connections per cluster; HTTP/2 needs only one.
        _ = gw_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 16)
        let name = "kube-curl-\(profile.clusterID)"
        let thread = Thread { [self] in
            // The OS thread's name (Foundation's `Thread.name` does not set it here), for `top -H`
            // and `perf`: "curl-" and the cluster id's end, within Linux's 15 bytes.
            _ = gw_set_current_thread_name("curl-" + String(profile.clusterID.suffix(10)))
            self.run()
        }
        thread.name = name
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    // MARK: API (any thread)

    /// Runs one exchange; resumes with its outcome. Cancelling the task cancels the transfer.
    func perform(_ request: TransportRequest) async -> TransferOutcome {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TransferOutcome, Never>) in
                let accepted = enqueue(.add(id: id, request: request, completion: { continuation.resume(returning: $0) }))
                if !accepted {
                    continuation.resume(returning: .failure(
                        TransferFailure(kind: .shutdown, curlCode: -1, function: "perform", message: "client shut down")))
                }
            }
        } onCancel: {
            _ = enqueue(.cancel(id))
        }
    }

    /// Stops the loop: fails every transfer in flight, frees the handles, and returns once the thread has ended.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = queue.withLock { queue in
                if queue.stopped { return true }
                queue.stopping = true
                queue.stopWaiters.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() } else { curl_multi_wakeup(multi) }
        }
    }

    /// Asks the loop to stop without waiting (from a `deinit`).
    func requestStop() {
        queue.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    private func enqueue(_ command: Command) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.commands.append(command)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
        return accepted
    }

    // MARK: Loop thread

    private func run() {
        var running: Int32 = 0
        while true {
            let (commands, stopping) = queue.withLock { queue in
                let commands = queue.commands
                queue.commands.removeAll()
                return (commands, queue.stopping)
            }
            if stopping {
                for command in commands { if case .add(_, _, let completion) = command { completion(.failure(Self.shutdownFailure)) } }
                break
            }
            for command in commands { execute(command) }

            _ = curl_multi_perform(multi, &running)
            collectCompleted()
            // Sleeps until a socket is ready, a timer is due or `curl_multi_wakeup` is called.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for (_, transfer) in transfers {
            curl_multi_remove_handle(multi, transfer.handle)
            transfer.abandon(Self.shutdownFailure)
        }
        transfers.removeAll()
        byHandle.removeAll()
        let waiters = queue.withLock { queue in
            queue.stopped = true
            let waiters = queue.stopWaiters
            queue.stopWaiters.removeAll()
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private static let shutdownFailure = TransferFailure(
        kind: .shutdown, curlCode: -1, function: "perform", message: "client shut down")

    private func execute(_ command: Command) {
        switch command {
        case .add(let id, let request, let completion):
            if cancelledBeforeStart.remove(id) != nil {
                completion(.failure(TransferFailure(kind: .cancelled, curlCode: -1, function: "perform", message: "cancelled")))
                return
            }
            let limit = profile.streamBufferBytes
            let transfer: CurlEasyHandle
            do {
                transfer = try CurlEasyHandle(
                    id: id, request: request, profile: profile,
                    makeStreamBuffer: {
                        let buffer = StreamBuffer(limit: limit)
                        buffer.setControls(
                            resume: { _ = self.enqueue(.resume(id)) },
                            cancel: { _ = self.enqueue(.cancelStarted(id)) })
                        return buffer
                    },
                    completion: completion)
            } catch {
                completion(.failure(error))
                return
            }
            let code = curl_multi_add_handle(multi, transfer.handle)
            guard code == CURLM_OK else {
                let text = curl_multi_strerror(code).map { String(cString: $0) } ?? ""
                transfer.abandon(TransferFailure(kind: .setup, curlCode: Int(code.rawValue), function: "curl_multi_add_handle", message: text))
                return
            }
            transfers[id] = transfer
            byHandle[transfer.handle] = id
        case .cancel(let id), .cancelStarted(let id):
            guard let transfer = transfers.removeValue(forKey: id) else {
                if case .cancel = command { cancelledBeforeStart.insert(id) }
                return
            }
            byHandle[transfer.handle] = nil
            curl_multi_remove_handle(multi, transfer.handle)
            transfer.abandon(TransferFailure(kind: .cancelled, curlCode: -1, function: "perform", message: "cancelled"))
        case .resume(let id):
            guard let transfer = transfers[id], transfer.isPaused else { return }
            transfer.markResumed()
            // May call the write callback at once with the bytes held back when it paused.
            _ = curl_easy_pause(transfer.handle, 0)  // CURLPAUSE_CONT
        }
    }

    private func collectCompleted() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let result = message.pointee.data.result
            guard let id = byHandle.removeValue(forKey: easy), let transfer = transfers.removeValue(forKey: id) else {
                continue
            }
            var connects = 0
            _ = gw_curl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
            if connects > 0 { connectionsOpened.add(connects, ordering: .relaxed) }
            curl_multi_remove_handle(multi, easy)
            transfer.complete(result: result)
        }
    }
}
