import Foundation
import TestSupport
import Testing

@testable import HTTPServing

/// The decisions of `ConnectionLimiter`, without sockets or sleeps.
struct ConnectionLimiterTests {
    let start = ContinuousClock.now
    func limiter(max: Int = 3) -> ConnectionLimiter {
        ConnectionLimiter(limits: .init(maxConnections: max, headerTimeout: .seconds(10), idleTimeout: .seconds(30)))
    }

    @Test func aNewConnectionMustSendItsHeadersBeforeTheDeadline() {
        var limiter = limiter()
        _ = limiter.opened(1, at: start)
        _ = limiter.opened(2, at: start)
        // Trickling bytes does not extend the deadline; only a complete header block removes it.
        limiter.requestLineReceived(1, at: start + .seconds(9))
        limiter.headersReceived(2)
        #expect(limiter.expired(at: start + .seconds(9)).isEmpty)
        #expect(limiter.expired(at: start + .seconds(10)) == [1])
        #expect(limiter.expired(at: start + .seconds(100)).isEmpty)
        #expect(limiter.liveCount == 1)
    }

    @Test func aKeptAliveConnectionGetsTheIdleTimeoutThenTheHeaderTimeout() {
        var limiter = limiter()
        _ = limiter.opened(1, at: start)
        limiter.headersReceived(1)
        limiter.requestCompleted(1, at: start + .seconds(1))
        #expect(limiter.expired(at: start + .seconds(40)).isEmpty)
        #expect(limiter.expired(at: start + .seconds(41)) == [1])

        _ = limiter.opened(2, at: start)
        limiter.headersReceived(2)
        limiter.requestCompleted(2, at: start + .seconds(1))
        // Its next request line starts the shorter clock.
        limiter.requestLineReceived(2, at: start + .seconds(2))
        #expect(limiter.expired(at: start + .seconds(12)) == [2])
    }

    @Test func pastTheLimitTheConnectionWaitingLongestForHeadersIsEvicted() {
        var limiter = limiter(max: 3)
        #expect(limiter.opened(1, at: start).isEmpty)
        #expect(limiter.opened(2, at: start + .seconds(1)).isEmpty)
        #expect(limiter.opened(3, at: start + .seconds(2)).isEmpty)
        limiter.headersReceived(1)  // busy: never evicted
        #expect(limiter.opened(4, at: start + .seconds(3)) == [2])
        #expect(limiter.opened(5, at: start + .seconds(4)) == [3])
        limiter.headersReceived(4)
        limiter.headersReceived(5)
        // Everyone else is busy: the newcomer stays, in the reserve.
        #expect(limiter.opened(6, at: start + .seconds(5)).isEmpty)
        #expect(limiter.liveCount == 4)
        limiter.closed(2)
        limiter.closed(3)
        limiter.closed(1)
        #expect(limiter.liveCount == 3)
        #expect(limiter.openCount == 3)
        #expect(limiter.evictions == 2)
    }
}

/// Live: a real server, many real sockets.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ConnectionLimitTests {
    static let health: HTTPResponder = {
        var router = HTTPRouterBuilder()
        router.add(.get, "/skatev2/healthcheck/status") { _ in .text(#"{"status":"OK"}"#) }
        return router.build()
    }()

    @Test func aClientDrippingItsHeadersIsClosedAtTheHeaderDeadline() async throws {
        try await withLiveServer(Self.health, configure: {
            $0.headerTimeout = .seconds(1)
            $0.connectionTimeout = .seconds(30)
        }) { server, _ in
            let port = server.port
            let started = ContinuousClock.now
            let reply = try await onThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                // One byte every 100 ms: never idle, so only a deadline stops it.
                let head = Array("GET /skatev2/healthcheck/status HTTP/1.1\r\nHost: a\r\nX-Pad: " + String(repeating: "a", count: 100))
                for character in head {
                    do { try socket.send(String(character)) } catch { break }
                    Thread.sleep(forTimeInterval: 0.1)
                    if ContinuousClock.now - started > .seconds(8) { break }
                }
                return try socket.readUntilClosed()
            }
            let elapsed = ContinuousClock.now - started
            #expect(!reply.contains("200 OK"))
            #expect(elapsed >= .milliseconds(900))
            // Without the deadline the client would still be sending at 8 s and the idle timeout
            // (30 s) would never fire; the margin is for a heavily loaded test machine.
            #expect(elapsed < .seconds(6), "closed after \(elapsed)")
        }
    }

    @Test func oneAddressCannotHoldMoreThanItsShare() async throws {
        try await withLiveServer(Self.health, configure: { $0.maxConnectionsPerAddress = 8 }) { server, base in
            let clients = (0..<40).compactMap { _ in SlowClient(source: "127.0.0.2", port: server.port) }
            defer { withExtendedLifetime(clients) {} }
            #expect(clients.count == 40)
            #expect(await eventually(timeout: .seconds(5)) { clients.filter(\.isClosedByPeer).count == 32 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(clients.filter(\.isClosedByPeer).count == 32)
            #expect(try await fetch("GET", "\(base)/skatev2/healthcheck/status").status == 200)
        }
    }

    /// Thousands of connections from several addresses, each sending a partial head and then a
    /// header line now and then (so never idle); the health check must keep answering promptly.
    @Test func healthCheckAnswersUnderASlowlorisOfThousandsOfConnections() async throws {
        let sources = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"]
        let perSource = 600
        let available = raiseOpenFileLimit(to: 2 * sources.count * perSource + 1024)
        try #require(available >= 2 * sources.count * perSource + 256, "open-file limit \(available) too low")
        // The defaults, except a header deadline longer than the test, so that only the
        // per-address limit (600 > 512 per address) and the reserve protect the health check.
        try await withLiveServer(Self.health, configure: { $0.headerTimeout = .seconds(60) }) { server, base in
            var clients: [SlowClient] = []
            defer { clients.removeAll() }
            for source in sources {
                for _ in 0..<perSource {
                    if let client = SlowClient(source: source, port: server.port) { clients.append(client) }
                }
            }
            #expect(clients.count == sources.count * perSource)
            for client in clients {
                client.trySend("GET /skatev2/healthcheck/status HTTP/1.1\r\nHost: a\r\n")
            }
            var slowest = Duration.zero
            for round in 0..<5 {
                for client in clients where round % 2 == 0 {
                    client.trySend("X-Drip: \(round)\r\n")
                }
                let started = ContinuousClock.now
                let response = try await fetch("GET", "\(base)/skatev2/healthcheck/status")
                #expect(response.status == 200)
                slowest = max(slowest, ContinuousClock.now - started)
                try await Task.sleep(for: .milliseconds(300))
            }
            // Unprotected, the health check waits for the 60 s header deadline; the bound leaves
            // room for a loaded machine (≈0.1 s when idle).
            #expect(slowest < .seconds(3), "slowest health check took \(slowest)")
            // More slow connections than the limit and per-address limits allow: the server stayed
            // within its limit plus reserve by closing the ones waiting longest for their headers.
            let counts = server.connectionCounts
            #expect(counts.open <= 1024 + 64, "open connections \(counts.open)")
            #expect(counts.evicted > 0)
        }
    }
}
