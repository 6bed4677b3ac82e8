import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP load balancer on a loopback port in front of one upstream port, with the faults a real one
/// shows: closing a connection without an answer after the request was sent (an "empty reply"),
/// forwarding a request and then dropping the connection before the answer comes back, and resetting
/// the connection. Real sockets on threads of its own, so a client sees exactly what it would see in
/// front of a broken load balancer.
///
/// ```swift
/// let balancer = try FaultyLoadBalancer(upstreamPort: cluster.port)
/// balancer.setMode(.closeWithoutAnswer)
/// ```
public final class FaultyLoadBalancer: Sendable {
    /// What the balancer does with each request.
    public enum Mode: Sendable, Equatable {
        /// Relays both ways.
        case relay
        /// Reads the whole request (head and `Content-Length` body), then closes without answering;
        /// nothing reaches the upstream.
        case closeWithoutAnswer
        /// Reads the request, then resets the connection (RST); nothing reaches the upstream.
        case reset
        /// Relays, except that a request whose first line starts with `requestPrefix` is forwarded and
        /// its answer dropped: the connection closes without an answer once the upstream answered (so
        /// the upstream did act on it). At most `count` requests; after that it relays.
        case dropAnswers(to: String, count: Int)
    }

    /// The port clients connect to.
    public let port: Int
    private let upstreamPort: Int?
    private let listener: Int32
    private let state: Mutex<State>

    private struct State {
        var mode: Mode = .relay
        var stopped = false
        var open: Set<Int32> = []
        /// Requests whose answer was dropped (forwarded and answered upstream, never relayed).
        var droppedAnswers = 0
        /// Requests closed or reset without reaching the upstream.
        var refusedRequests = 0
    }

    /// - Parameter upstreamPort: where `.relay` and `.dropAnswers` forward to (loopback); nil when
    ///   the balancer only ever closes or resets.
    public init(upstreamPort: Int?, mode: Mode = .relay) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketFailure(function: "socket", code: errno) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            let code = errno
            close(descriptor)
            throw SocketFailure(function: "bind/listen", code: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(descriptor, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = descriptor
        self.upstreamPort = upstreamPort
        self.state = Mutex(State(mode: mode))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "faulty-lb-accept"
        thread.start()
    }

    public func setMode(_ mode: Mode) {
        state.withLock { $0.mode = mode }
    }

    /// Requests forwarded whose answer was dropped.
    public var droppedAnswers: Int { state.withLock { $0.droppedAnswers } }
    /// Requests closed or reset without reaching the upstream.
    public var refusedRequests: Int { state.withLock { $0.refusedRequests } }

    /// Stops accepting and closes every connection.
    public func stop() {
        let open = state.withLock { state -> Set<Int32> in
            state.stopped = true
            return state.open
        }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for descriptor in open { Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
    }

    deinit { close(listener) }

    // MARK: Connections (threads of their own)

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let keep = state.withLock { state -> Bool in
                if state.stopped { return false }
                state.open.insert(client)
                return true
            }
            guard keep else {
                close(client)
                return
            }
            let thread = Thread { [self] in serve(client) }
            thread.name = "faulty-lb-conn"
            thread.start()
        }
    }

    private func serve(_ client: Int32) {
        defer { closeTracked(client) }
        switch state.withLock({ $0.mode }) {
        case .closeWithoutAnswer:
            guard readRequest(client) else { return }
            state.withLock { $0.refusedRequests += 1 }
            // An orderly close with nothing unread: the client sees end-of-file, not a reset.
            Glibc.shutdown(client, Int32(SHUT_WR))
        case .reset:
            guard readRequest(client) else { return }
            state.withLock { $0.refusedRequests += 1 }
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(client, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        case .relay, .dropAnswers:
            relay(client)
        }
    }

    /// Reads one request head and its `Content-Length` body; false when the client went away first.
    private func readRequest(_ client: Int32) -> Bool {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let end = Self.headEnd(received) {
                let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                var bodyLength = 0
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
                if received.count >= end + 4 + bodyLength { return true }
            }
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return false }
            received.append(contentsOf: buffer[..<count])
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Relays both ways; in `.dropAnswers` a matching request's answer is swallowed and both
    /// connections close once the upstream has answered.
    private func relay(_ client: Int32) {
        guard let upstreamPort else { return }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let tracked = state.withLock { state -> Bool in
            if state.stopped { return false }
            state.open.insert(upstream)
            return true
        }
        guard connected == 0, tracked else {
            closeTracked(upstream)
            return
        }
        let swallowing = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        // Upstream → client, on a second thread.
        let back = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                if swallowing.load(ordering: .acquiring) {
                    state.withLock { $0.droppedAnswers += 1 }
                    break
                }
                if !sendAll(client, buffer[..<count]) { break }
            }
            Glibc.shutdown(client, Int32(SHUT_RDWR))
            Glibc.shutdown(upstream, Int32(SHUT_RDWR))
            done.signal()
        }
        back.name = "faulty-lb-back"
        back.start()
        // Client → upstream, here.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            let chunk = buffer[..<count]
            let swallow = state.withLock { state -> Bool in
                guard case .dropAnswers(let prefix, let remaining) = state.mode, remaining > 0,
                    chunk.starts(with: Array(prefix.utf8))
                else { return false }
                state.mode = .dropAnswers(to: prefix, count: remaining - 1)
                return true
            }
            if swallow { swallowing.store(true, ordering: .releasing) }
            if !sendAll(upstream, chunk) { break }
        }
        Glibc.shutdown(upstream, Int32(SHUT_WR))
        done.wait()
        closeTracked(upstream)
    }

    private func sendAll(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private func closeTracked(_ descriptor: Int32) {
        let owned = state.withLock { $0.open.remove(descriptor) != nil }
        if owned { close(descriptor) }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }

    public struct SocketFailure: Error, CustomStringConvertible {
        public var function: String
        public var code: Int32
        public var description: String { "\(function) failed: \(String(cString: strerror(code)))" }
    }
}

/// A loopback port nothing listens on: connections to it are refused.
public func refusedLoopbackPort() throws -> Int {
    try freePortBelowEphemeralRange()
}
