import Foundation
import TestSupport
import Synchronization
import Testing

@testable import HTTPServing

/// Chunked response streams over a real connection.
@Suite(.timeLimit(.minutes(1)))
struct StreamingTests {
    /// Records how a stream's producer ended.
    final class Outcome: Sendable {
        private let state = Mutex<(writes: Int, error: String?)>((0, nil))
        func wrote() { state.withLock { $0.writes += 1 } }
        func failed(_ error: any Error) { state.withLock { $0.error = "\(error)" } }
        var writes: Int { state.withLock { $0.writes } }
        var error: String? { state.withLock { $0.error } }
    }

    static func ticker(count: Int, interval: Duration, outcome: Outcome? = nil) -> HTTPResponder {
        var router = HTTPRouterBuilder()
        router.add(.get, "/watch") { _ in
            HTTPResponse(headers: ["Content-Type": "application/x-ndjson"], body: .stream { writer in
                do {
                    for index in 0..<count {
                        try await writer.write(#"{"event":\#(index)}"# + "\n")
                        outcome?.wrote()
                        try await Task.sleep(for: interval)
                    }
                } catch {
                    outcome?.failed(error)
                    throw error
                }
            })
        }
        router.add(.get, "/big") { _ in
            HTTPResponse(body: .stream { writer in
                // 4 MiB in 64 KiB pieces: far more than the stream buffer, so writes must wait.
                for index in 0..<64 {
                    try await writer.write(Data(repeating: UInt8(index), count: 64 << 10))
                }
            })
        }
        router.add(.get, "/fails") { _ in
            HTTPResponse(body: .stream { writer in
                try await writer.write("partial\n")
                throw HTTPError(500, "producer broke")
            })
        }
        return router.build()
    }

    @Test func chunksArriveInOrderAndOverTime() async throws {
        try await withLiveServer(Self.ticker(count: 5, interval: .milliseconds(100))) { _, base in
            let response = try await onThread { try CurlClient().request("GET", "\(base)/watch") }
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Type") == "application/x-ndjson")
            let expected = (0..<5).map { #"{"event":\#($0)}"# + "\n" }.joined()
            #expect(response.text == expected)
            // Streamed, not buffered: the first event arrived well before the last.
            let first = try #require(response.arrivals.first)
            let last = try #require(response.arrivals.last)
            #expect(last.timeIntervalSince(first) > 0.3)
        }
    }

    @Test func headOnAStreamSendsHeadersOnly() async throws {
        let outcome = Outcome()
        try await withLiveServer(Self.ticker(count: 3, interval: .zero, outcome: outcome)) { server, base in
            let response = try await fetch("HEAD", "\(base)/watch")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/x-ndjson")
            #expect(response.body.isEmpty)
            #expect(outcome.writes == 0)
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test func largeStreamArrivesComplete() async throws {
        try await withLiveServer(Self.ticker(count: 0, interval: .zero), configure: { $0.streamBufferBytes = 128 << 10 }) {
            _, base in
            let response = try await fetch("GET", "\(base)/big")
            #expect(response.status == 200)
            #expect(response.body.count == 64 * (64 << 10))
            let piece = 64 << 10
            let body = [UInt8](response.body)
            var ordered = true
            for index in 0..<64 where body[index * piece] != UInt8(index) || body[(index + 1) * piece - 1] != UInt8(index) {
                ordered = false
            }
            #expect(ordered)
        }
    }

    @Test func failingProducerCutsTheStream() async throws {
        try await withLiveServer(Self.ticker(count: 0, interval: .zero)) { _, base in
            // An incomplete chunked body is a transfer error for the client, not a short success.
            await #expect(throws: CurlFailure.self) {
                _ = try await fetch("GET", "\(base)/fails")
            }
        }
    }

    @Test func clientDisconnectMakesTheWriterThrow() async throws {
        let outcome = Outcome()
        try await withLiveServer(Self.ticker(count: 10_000, interval: .milliseconds(10), outcome: outcome)) { server, base in
            // The client reads the first event, then hangs up.
            _ = try? await onThread { try CurlClient().request("GET", "\(base)/watch", abortAfter: 1) }
            let stopped = await eventually { outcome.error != nil }
            #expect(stopped)
            #expect(outcome.error == "client disconnected")
            #expect(outcome.writes < 1000)
            #expect(await eventually { server.inFlightRequests == 0 })
        }
    }

    @Test func inProcessStreamCanBeCollected() async throws {
        let response = await Self.ticker(count: 3, interval: .zero).respond(to: HTTPRequest(method: .get, path: "/watch"))
        let body = try await response.collectBody()
        #expect(String(decoding: body, as: UTF8.self) == #"{"event":0}"# + "\n" + #"{"event":1}"# + "\n" + #"{"event":2}"# + "\n")
    }
}
