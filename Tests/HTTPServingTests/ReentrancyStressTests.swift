import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTPServing

#if canImport(Glibc)
import Glibc
#endif

/// Drives the interleavings in which libmicrohttpd calls back into an `Exchange` from inside one of
/// our calls into it (`MHD_destroy_response` runs a stream's free callback synchronously): stream
/// responses made after the handler suspended, whose clients hang up or whose server is cut before
/// the response is queued, mixed with quick handlers that answer without suspending.
///
/// Before the fix this crashed the process with "Recursive call to lock Mutex" (a lock held while
/// freeing a pending stream response whose free callback takes the same lock).
@Suite(.timeLimit(.minutes(1)))
struct ReentrancyStressTests {
    /// Streams forever in small pieces until the writer throws.
    static func endless(_ writer: HTTPBodyWriter) async throws {
        while true {
            try await writer.write("tick\n")
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    static func responder() -> HTTPResponder {
        var router = HTTPRouterBuilder()
        // Suspends first, so the response is delivered off the MHD thread and waits as `pending`
        // until the resumed connection is served (or completed, or cut).
        router.add(.get, "/late-stream") { _ in
            try? await Task.sleep(for: .microseconds(Int.random(in: 0...2000)))
            return HTTPResponse(body: .stream { try await Self.endless($0) })
        }
        router.add(.get, "/yield-stream") { _ in
            await Task.yield()
            return HTTPResponse(body: .stream { try await Self.endless($0) })
        }
        // Answers on the MHD thread inside the access handler (`Task.immediate` never suspends).
        router.add(.get, "/now-stream") { _ in
            HTTPResponse(body: .stream { try await Self.endless($0) })
        }
        router.add(.get, "/quick") { _ in .text("ok") }
        return router.build()
    }

    /// One client: sends a request, maybe reads a little, hangs up (sometimes with a reset).
    static func hitAndRun(port: Int, path: String) {
        guard let socket = try? RawSocket(port: port, readTimeout: 1) else { return }
        try? socket.send("GET \(path) HTTP/1.1\r\nHost: stress\r\n\r\n")
        switch Int.random(in: 0..<4) {
        case 0: break  // hang up at once, while the handler is still running
        case 1: usleep(UInt32.random(in: 0...1500))
        case 2: _ = socket.readSome()
        default: socket.resetOnClose()
        }
    }

    @Test func abandonedStreamsNeverReenterAnExchangeLock() async throws {
        // Kept light (2 client threads pausing between requests, 20 short rounds, at most 8 s) so
        // that timing tests running alongside on a small machine are not starved.
        let deadline = ContinuousClock.now + .seconds(8)
        var rounds = 0
        while rounds < 20, ContinuousClock.now < deadline {
            rounds += 1
            var configuration = HTTPServerConfiguration()
            configuration.port = 0
            configuration.threadCount = 2
            configuration.streamBufferBytes = 64
            let server = HTTPServer(configuration: configuration, responder: Self.responder())
            try server.start()
            let port = server.port
            let stop = StopFlag()
            let paths = ["/late-stream", "/late-stream", "/yield-stream", "/now-stream", "/quick"]
            let clients = (0..<2).map { _ in
                Task.detached {
                    try await onThread {
                        while !stop.isSet {
                            Self.hitAndRun(port: port, path: paths.randomElement()!)
                            usleep(500)
                        }
                    }
                }
            }
            // Let the clients churn, then cut the server while some responses are still pending:
            // a grace period of zero goes straight to `cutAll`.
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...150)))
            await server.shutdown(gracePeriod: .zero)
            stop.set()
            for client in clients { _ = try? await client.value }
            #expect(server.inFlightRequests == 0)
        }
    }
}

/// Tells the client threads to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

extension RawSocket {
    /// Reads whatever is there (up to 4 KiB), ignoring errors.
    func readSome() -> Int {
        var buffer = [UInt8](repeating: 0, count: 4096)
        return recv(descriptor, &buffer, buffer.count, 0)
    }

    /// Makes the coming close send a reset instead of a FIN.
    func resetOnClose() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }
}
