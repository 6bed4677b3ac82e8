import Foundation
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
