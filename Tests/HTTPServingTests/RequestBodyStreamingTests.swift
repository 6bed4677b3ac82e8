import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTPServing

/// Routes registered with `streamingBodyUpTo`: the body reaches the handler while it arrives, the
/// server buffers a bounded amount ahead of a slow handler, and limits and disconnects end the stream.
@Suite(.timeLimit(.minutes(2)))
struct RequestBodyStreamingTests {
    /// What a streaming handler saw.
    final class Seen: Sendable {
        private let state = Mutex<(bytes: Int, error: String?)>((0, nil))
        func add(_ count: Int) { state.withLock { $0.bytes += count } }
        func failed(_ error: any Error) { state.withLock { $0.error = "\(error)" } }
        var bytes: Int { state.withLock { $0.bytes } }
        var error: String? { state.withLock { $0.error } }
    }

    /// `POST /upload` streams (up to `limit`), reading each chunk after `delay`, and answers
    /// `<bytes> <sum of bytes mod 2^32>`; `POST /buffered` is an ordinary route answering its body size.
    static func responder(limit: Int, delay: Duration = .zero, seen: Seen = Seen()) -> HTTPResponder {
        var router = HTTPRouterBuilder()
        router.add(.post, "/upload", streamingBodyUpTo: limit) { request in
            #expect(request.body.isEmpty)
            var count = 0
            var sum: UInt32 = 0
            do {
                for try await chunk in request.bodyStream! {
                    if delay > .zero { try await Task.sleep(for: delay) }
                    count += chunk.count
                    seen.add(chunk.count)
                    for byte in chunk { sum &+= UInt32(byte) }
                }
            } catch {
                seen.failed(error)
                throw error
            }
            return .text("\(count) \(sum)")
        }
        router.add(.post, "/buffered") { request in .text("\(request.body.count)") }
        return router.build()
    }

    static func pattern(_ index: Int) -> UInt8 { UInt8(truncatingIfNeeded: index &* 31 &+ index >> 9) }

    @Test func aSlowHandlerKeepsTheServersBufferBounded() async throws {
        let size = 48 << 20
        try await withLiveServer(
            Self.responder(limit: 1 << 30, delay: .microseconds(300)),
            configure: { $0.requestBodyBufferBytes = 1 << 20 }
        ) { server, _ in
            let port = server.port
            let (reply, expectedSum) = try await onThread { () throws -> (String, UInt32) in
                let socket = try RawSocket(port: port, readTimeout: 60)
                try socket.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\nConnection: close\r\n\r\n")
                var block = Data(count: 1 << 20)
                var sum: UInt32 = 0
                for start in stride(from: 0, to: size, by: block.count) {
                    block.withUnsafeMutableBytes { buffer in
                        for i in 0..<buffer.count { buffer[i] = Self.pattern(start + i) }
                    }
                    for byte in block { sum &+= UInt32(byte) }
                    try socket.send(block)
                }
                return (try socket.readUntilClosed(), sum)
            }
            #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply.prefix(200))")
            #expect(reply.hasSuffix("\(size) \(expectedSum)"))
            // Backpressure: what waits for the handler stays near the window, never the body.
            let peak = server.requestBodyBufferedPeak
            #expect(peak > 0)
            #expect(peak <= (1 << 20) + (256 << 10), "peak buffered \(peak) bytes")
        }
    }

    @Test func aClientLeavingMidBodyEndsTheStreamWithAnError() async throws {
        let seen = Seen()
        try await withLiveServer(Self.responder(limit: 1 << 30, seen: seen)) { server, _ in
            let port = server.port
            try await onThread {
                let socket = try RawSocket(port: port)
                try socket.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(10 << 20)\r\n\r\n")
                try socket.send(Data(count: 100 << 10))
                // Give the server the bytes before hanging up.
                Thread.sleep(forTimeInterval: 0.3)
            }
            #expect(await eventually { seen.error != nil })
            #expect(seen.error == "client disconnected")
            #expect(seen.bytes <= 100 << 10)
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test func aBodyOverTheRoutesLimitGets413() async throws {
        let seen = Seen()
        try await withLiveServer(Self.responder(limit: 64 << 10, seen: seen), configure: { $0.maxBodyBytes = 16 << 10 }) { _, base in
            // Announced: refused before the body.
            let announced = try await fetch("POST", "\(base)/upload", body: Data(count: (64 << 10) + 1))
            #expect(announced.status == 413)
            #expect(String(decoding: announced.body, as: UTF8.self).contains("65536"))
            // Chunked: refused once the bytes pass the limit; the handler's stream threw.
            let chunked = try await fetch("POST", "\(base)/upload", body: Data(count: 200 << 10), chunkedUpload: true)
            #expect(chunked.status == 413)
            #expect(seen.error?.contains("413") == true || seen.error?.contains("larger") == true, "\(seen.error ?? "nil")")
            // The route's own limit applies, not the server's `maxBodyBytes` (16 KiB) …
            let within = try await fetch("POST", "\(base)/upload", body: Data(repeating: 1, count: 60 << 10))
            #expect(within.status == 200)
            #expect(String(decoding: within.body, as: UTF8.self) == "\(60 << 10) \(60 << 10)")
            // … which still bounds every other route.
            let buffered = try await fetch("POST", "\(base)/buffered", body: Data(count: 20 << 10))
            #expect(buffered.status == 413)
            let small = try await fetch("POST", "\(base)/buffered", body: Data(count: 10))
            #expect(String(decoding: small.body, as: UTF8.self) == "10")
        }
    }

    @Test func aHandlerAnsweringBeforeReadingTheBodyIsHeardAtTheBodysEnd() async throws {
        var router = HTTPRouterBuilder()
        router.add(.post, "/refuse", streamingBodyUpTo: 1 << 30) { _ in throw HTTPError(400, "Invalid name") }
        try await withLiveServer(router.build()) { server, base in
            let reply = try await fetch("POST", "\(base)/refuse", body: Data(count: 512 << 10))
            #expect(reply.status == 400)
            #expect(String(decoding: reply.body, as: UTF8.self).contains("Invalid name"))
            // Still a usable server (and connection bookkeeping) afterwards.
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test func shutdownCutsAStreamedBodyThatNeverEnds() async throws {
        let seen = Seen()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: Self.responder(limit: 1 << 30, seen: seen))
        try server.start()
        let socket = try RawSocket(port: server.port)
        try socket.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(1 << 30)\r\n\r\n")
        try socket.send(Data(count: 64 << 10))
        #expect(await eventually { seen.bytes == 64 << 10 })
        let started = ContinuousClock.now
        await server.shutdown(gracePeriod: .milliseconds(300))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(await eventually { seen.error != nil })
        #expect(server.inFlightRequests == 0)
    }

    @Test func inProcessTheBodyIsStreamedWithTheRoutesLimit() async throws {
        let responder = Self.responder(limit: 100 << 10)
        let body = Data((0..<(90 << 10)).map { Self.pattern($0) })
        let sum = body.reduce(UInt32(0)) { $0 &+ UInt32($1) }
        let ok = await responder.respond(to: HTTPRequest(method: .post, path: "/upload", body: body))
        #expect(ok.status == 200)
        guard case .bytes(let text) = ok.body else { Issue.record("not a byte body"); return }
        #expect(String(decoding: text, as: UTF8.self) == "\(90 << 10) \(sum)")
        let tooLarge = await responder.respond(to: HTTPRequest(method: .post, path: "/upload", body: Data(count: 101 << 10)))
        #expect(tooLarge.status == 413)
    }
}
