import Foundation
import TestSupport
import Synchronization
import Testing

@testable import HTTPServing

/// A real server on a free loopback port, driven by libcurl.
@Suite(.timeLimit(.minutes(1)))
struct LiveServerTests {
    @Test func servesRoutesWithParametersOverTheWire() async throws {
        try await withLiveServer(RoutingTests.responder) { server, base in
            #expect(server.port > 0)
            let status = try await fetch("GET", "\(base)/spark/app-1/status")
            #expect(status.status == 200)
            #expect(status.text == "status of app-1")
            #expect(status.header("Date") != nil)
            #expect(status.header("Content-Length") == "15")

            let rest = try await fetch("GET", "\(base)/logs/a/b%20c/d")
            #expect(rest.text == "logs [a/b c/d]")

            let echo = try await fetch("POST", "\(base)/echo?q=hello+world", body: Data("payload".utf8))
            #expect(echo.status == 201)
            #expect(echo.text == "payload")
            #expect(echo.header("X-Query") == "hello world")

            // Over 1 MiB libcurl asks `Expect: 100-continue`; the body must still arrive whole.
            let large = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let echoedLarge = try await fetch("POST", "\(base)/echo", body: large)
            #expect(echoedLarge.status == 201)
            #expect(echoedLarge.body == large)

            let missing = try await fetch("GET", "\(base)/nothing")
            #expect(missing.status == 404)
            #expect(missing.header("Content-Type") == "application/json")

            let wrongMethod = try await fetch("PATCH", "\(base)/spark/app-1")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "GET, DELETE, HEAD")

            let head = try await fetch("HEAD", "\(base)/spark/app-1")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "9")
            #expect(head.body.isEmpty)
        }
    }
}

extension LiveServerTests {
    static let counter = Counter()

    /// Counts concurrently running handlers and remembers the peak.
    final class Counter: Sendable {
        private let state = Mutex((current: 0, peak: 0))
        func enter() { state.withLock { $0.current += 1; $0.peak = max($0.peak, $0.current) } }
        func leave() { state.withLock { $0.current -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test func keepAliveReusesOneConnection() async throws {
        try await withLiveServer(RoutingTests.responder) { _, base in
            let connects = try await onThread {
                let client = CurlClient()
                return try (0..<5).map { index in
                    let response = try client.request("GET", "\(base)/spark/k\(index)")
                    precondition(response.status == 200)
                    return response.newConnections
                }
            }
            #expect(connects == [1, 0, 0, 0, 0])
        }
    }

    @Test func twoHundredConcurrentRequestsAllSucceed() async throws {
        let counter = Counter()
        var router = HTTPRouterBuilder()
        router.add(.get, "/slow") { _ in
            counter.enter()
            defer { counter.leave() }
            try await Task.sleep(for: .milliseconds(100))
            return .json(Data(#"{"status":"OK"}"#.utf8))
        }
        try await withLiveServer(router.build()) { _, base in
            let started = ContinuousClock.now
            let statuses = try await onThread { try concurrentGets("\(base)/slow", count: 200) }
            let elapsed = ContinuousClock.now - started
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == 200 })
            // Handlers overlap: 200 × 100 ms one after the other would take 20 s.
            #expect(counter.peak >= 50)
            #expect(elapsed < .seconds(10))
        }
    }

    @Test func oversizeBodyWithContentLengthGets413() async throws {
        try await withLiveServer(RoutingTests.responder, configure: { $0.maxBodyBytes = 1024 }) { _, base in
            let accepted = try await fetch("POST", "\(base)/echo", body: Data(repeating: 65, count: 1024))
            #expect(accepted.status == 201)
            #expect(accepted.body.count == 1024)

            let rejected = try await fetch("POST", "\(base)/echo", body: Data(repeating: 65, count: 5000))
            #expect(rejected.status == 413)
            #expect(rejected.header("Content-Type") == "application/json")
            #expect(rejected.text == #"{"code":413,"message":"request body larger than 1024 bytes"}"#)

            // A big announced body is refused before it is sent (no `100 Continue`).
            let huge = try await fetch("POST", "\(base)/echo", body: Data(repeating: 65, count: 4 << 20))
            #expect(huge.status == 413)
        }
    }

    @Test func oversizeChunkedBodyGets413() async throws {
        try await withLiveServer(RoutingTests.responder, configure: { $0.maxBodyBytes = 1024 }) { _, base in
            let small = try await fetch("POST", "\(base)/echo", body: Data(repeating: 66, count: 900), chunkedUpload: true)
            #expect(small.status == 201)
            #expect(small.body == Data(repeating: 66, count: 900))

            let rejected = try await fetch(
                "POST", "\(base)/echo", body: Data(repeating: 66, count: 50_000), chunkedUpload: true)
            #expect(rejected.status == 413)
            #expect(rejected.text.contains(#""code":413"#))

            // Far beyond the limit (more than 1 MiB past it) the server stops reading and hangs up.
            await #expect(throws: CurlFailure.self) {
                _ = try await fetch("POST", "\(base)/echo", body: Data(repeating: 66, count: 8 << 20), chunkedUpload: true)
            }
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
        }
    }

    @Test func malformedRequestLineGets400AndServerKeepsServing() async throws {
        try await withLiveServer(RoutingTests.responder) { server, base in
            let port = server.port
            let reply = try await onThread {
                let socket = try RawSocket(port: port)
                try socket.send("THIS IS NOT HTTP\r\n\r\n")
                return try socket.readUntilClosed()
            }
            #expect(reply.hasPrefix("HTTP/1.1 400"))
            let after = try await fetch("GET", "\(base)/spark/x")
            #expect(after.status == 200)
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test(arguments: [
        "GET /spark/x HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 64 << 10))\r\n\r\n",
        "GET /spark/x HTTP/1.1\r\nHost: a\r\nthis line has no colon\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: banana\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "GET /bad%zzpath HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ])
    func badRequestsAreRejectedWithoutLeakingState(raw: String) async throws {
        try await withLiveServer(RoutingTests.responder) { server, base in
            let port = server.port
            let reply = try await onThread {
                let socket = try RawSocket(port: port)
                try socket.send(raw)
                return try socket.readUntilClosed()
            }
            #expect(reply.hasPrefix("HTTP/1.1 4"))
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test func idleConnectionIsClosedAfterTheTimeout() async throws {
        try await withLiveServer(RoutingTests.responder, configure: { $0.connectionTimeout = .seconds(1) }) {
            server, base in
            let port = server.port
            let started = ContinuousClock.now
            // One client sends nothing at all, another stops in the middle of its headers.
            async let silent = onThread { try RawSocket(port: port, readTimeout: 10).readUntilClosed() }
            async let partial = onThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                try socket.send("GET /spark/x HTTP/1.1\r\nHost: a\r\n")
                return try socket.readUntilClosed()
            }
            let (silentReply, partialReply) = try await (silent, partial)
            let elapsed = ContinuousClock.now - started
            #expect(silentReply.isEmpty)
            #expect(!partialReply.contains("200 OK"))
            #expect(elapsed < .seconds(5))
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
        }
    }
}

extension LiveServerTests {
    static let peerEcho: HTTPResponder = {
        var router = HTTPRouterBuilder()
        router.add(.get, "/peer") { request in
            .text("\(request.peerAddress) \(request.headers["X-Custom"] ?? "-") \(request.headers.values("X-Many"))")
        }
        return router.build()
    }()

    @Test func requestCarriesPeerAddressAndHeaders() async throws {
        try await withLiveServer(Self.peerEcho) { _, base in
            let response = try await fetch("GET", "\(base)/peer", headers: ["x-custom: yes", "X-Many: 1", "X-Many: 2"])
            #expect(response.text == #"127.0.0.1 yes ["1", "2"]"#)
        }
    }

    @Test func bindsIPv6Loopback() async throws {
        try await withLiveServer(Self.peerEcho, configure: { $0.host = "::1" }) { server, _ in
            let response = try await fetch("GET", "http://[::1]:\(server.port)/peer")
            #expect(response.text.hasPrefix("::1 "))
        }
    }
}

extension LiveServerTests {
    @Test func aConnectionBeyondTheLimitClosesTheOneWaitingLongestForHeaders() async throws {
        try await withLiveServer(RoutingTests.responder, configure: { $0.maxConnections = 2; $0.threadCount = 1 }) {
            server, base in
            let oldest = try RawSocket(port: server.port, readTimeout: 5)
            try await Task.sleep(for: .milliseconds(100))
            let newer = try RawSocket(port: server.port, readTimeout: 5)
            try await Task.sleep(for: .milliseconds(200))
            // Both slots hold clients that have said nothing; a third client is still served at once…
            let started = ContinuousClock.now
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
            #expect(ContinuousClock.now - started < .seconds(2))
            // …and the connection that had waited longest for its headers was closed to make room.
            let closed = try await onThread { try oldest.readUntilClosed() }
            #expect(closed.isEmpty)
            try newer.send("GET /spark/y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            #expect(try await onThread { try newer.readUntilClosed() }.hasPrefix("HTTP/1.1 200"))
        }
    }
}
