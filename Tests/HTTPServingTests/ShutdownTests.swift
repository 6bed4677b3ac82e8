import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTPServing

/// Lets a handler see the server it runs in (set once, before any request).
final class ServerBox: @unchecked Sendable {
    // Written once before the server starts taking requests, read only afterwards.
    var server: HTTPServer?
}

/// Graceful shutdown: drain within the grace period, cut at the deadline.
@Suite(.timeLimit(.minutes(1)))
struct ShutdownTests {
    @Test func drainsAnInFlightSlowRequest() async throws {
        let box = ServerBox()
        var router = HTTPRouterBuilder()
        router.add(.get, "/slow") { _ in
            // Answers only once the drain has begun, whatever the machine's load, so the response
            // must carry `Connection: close`.
            while box.server?.isDraining != true { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(100))
            return .text("finished")
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: router.build())
        box.server = server
        try server.start()
        let url = "http://127.0.0.1:\(server.port)/slow"

        let slow = Task { try await fetch("GET", url) }
        #expect(await eventually { server.inFlightRequests == 1 })
        let started = ContinuousClock.now
        // A second, concurrent shutdown waits for the same drain.
        async let again: Void = server.shutdown(gracePeriod: .seconds(30))
        await server.shutdown(gracePeriod: .seconds(30))
        await again
        let shutdownTook = ContinuousClock.now - started

        let response = try await slow.value
        #expect(response.status == 200)
        #expect(response.text == "finished")
        #expect(response.header("Connection") == "close")
        // It waited for the request, not for the whole grace period (30 s; the bound leaves room for
        // a machine loaded by the parallel suite, where this took up to 4 s instead of 0.1 s).
        #expect(shutdownTook < .seconds(15))
        // And it no longer accepts connections.
        await #expect(throws: CurlFailure.self) { _ = try await fetch("GET", url) }
    }

    @Test func turnsAwayRequestsThatStartWhileDraining() async throws {
        let released = Mutex(false)
        var router = HTTPRouterBuilder()
        router.add(.get, "/slow") { _ in
            // Held in flight until the test has seen the drain turn a new request away.
            while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            return .text("finished")
        }
        router.add(.get, "/fast") { _ in .text("fast") }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: router.build())
        try server.start()
        let base = "http://127.0.0.1:\(server.port)"

        let slow = Task { try await fetch("GET", base + "/slow") }
        #expect(await eventually { server.inFlightRequests == 1 })
        let shutdown = Task { await server.shutdown(gracePeriod: .seconds(30)) }
        // Until the drain begins the server still answers; then new requests get 503.
        var late = try await fetch("GET", base + "/fast")
        let deadline = ContinuousClock.now + .seconds(15)
        while late.status == 200, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            late = try await fetch("GET", base + "/fast")
        }
        #expect(late.status == 503)
        #expect(late.header("Connection") == "close")
        #expect(late.header("Retry-After") == "1")
        released.withLock { $0 = true }
        #expect(try await slow.value.text == "finished")
        await shutdown.value
    }

    @Test func cutsAnEndlessStreamAtTheDeadline() async throws {
        let outcome = StreamingTests.Outcome()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(
            configuration: configuration,
            responder: StreamingTests.ticker(count: 1_000_000, interval: .milliseconds(20), outcome: outcome))
        try server.start()
        let url = "http://127.0.0.1:\(server.port)/watch"

        let watch = Task { try await onThread { try CurlClient().request("GET", url, timeout: 30) } }
        #expect(await eventually { outcome.writes >= 3 })
        let started = ContinuousClock.now
        await server.shutdown(gracePeriod: .milliseconds(300))
        let shutdownTook = ContinuousClock.now - started

        #expect(shutdownTook >= .milliseconds(300))
        // Cut at the deadline, not left running (the stream has 1,000,000 ticks): room for a loaded machine.
        #expect(shutdownTook < .seconds(15))
        // The client sees a broken chunked body, not a clean end.
        await #expect(throws: CurlFailure.self) { _ = try await watch.value }
        #expect(await eventually { outcome.error != nil })
        #expect(server.inFlightRequests == 0)
    }

    @Test func cutsASlowHandlerAtTheDeadline() async throws {
        var router = HTTPRouterBuilder()
        router.add(.get, "/forever") { _ in
            try await Task.sleep(for: .seconds(60))
            return .text("too late")
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: router.build())
        try server.start()
        let stuck = Task { try await fetch("GET", "http://127.0.0.1:\(server.port)/forever") }
        #expect(await eventually { server.inFlightRequests == 1 })
        let started = ContinuousClock.now
        await server.shutdown(gracePeriod: .milliseconds(200))
        // Cut at the 200 ms deadline rather than after the handler's 60 s: room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(15))
        await #expect(throws: CurlFailure.self) { _ = try await stuck.value }
    }

    @Test func startFailsClearlyWhenThePortIsTaken() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let first = HTTPServer(configuration: configuration, responder: HTTPRouterBuilder().build())
        try first.start()
        configuration.port = first.port
        let second = HTTPServer(configuration: configuration, responder: HTTPRouterBuilder().build())
        #expect(throws: HTTPServerError.self) { try second.start() }
        await first.shutdown()
    }

    enum InvalidField: String, CaseIterable {
        case host, threadCount, connectionTimeout, port

        func apply(to configuration: inout HTTPServerConfiguration) {
            switch self {
            case .host: configuration.host = "not-an-address"
            case .threadCount: configuration.threadCount = 0
            case .connectionTimeout: configuration.connectionTimeout = .zero
            case .port: configuration.port = 70_000
            }
        }
    }

    @Test(arguments: InvalidField.allCases)
    func invalidConfigurationNamesTheField(field: InvalidField) {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        field.apply(to: &configuration)
        let server = HTTPServer(configuration: configuration, responder: HTTPRouterBuilder().build())
        do {
            try server.start()
            Issue.record("start() accepted an invalid \(field)")
        } catch let error as HTTPServerError {
            #expect(error == .invalidConfiguration(field.rawValue, ""))
            #expect(error.detail.hasPrefix(field.rawValue))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

extension ShutdownTests {
    @Test func aServerDroppedWhileRunningStopsItself() async throws {
        var port = 0
        do {
            var configuration = HTTPServerConfiguration()
            configuration.port = 0
            let server = HTTPServer(configuration: configuration, responder: RoutingTests.responder)
            try server.start()
            port = server.port
            #expect(try await fetch("GET", "http://127.0.0.1:\(port)/spark/x").status == 200)
        }
        // The listening socket is gone with the server.
        await #expect(throws: CurlFailure.self) { _ = try await fetch("GET", "http://127.0.0.1:\(port)/spark/x") }
    }
}
