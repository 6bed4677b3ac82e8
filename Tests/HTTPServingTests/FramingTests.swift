import Foundation
import TestSupport
import Testing

@testable import HTTPServing

/// Requests whose framing or header fields a front proxy could read differently from us. Each one
/// is written byte for byte on a raw socket, followed by a second request a desynchronised server
/// would serve: the server must answer exactly one `400` and close the connection.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct FramingTests {
    /// A hostile request: a name for the report, and the exact bytes sent.
    struct Hostile: CustomTestStringConvertible, Sendable {
        var name: String
        var head: String
        var body: String = ""
        var testDescription: String { name }
    }

    /// Sent right after each hostile request: it must never be answered.
    static let smuggled = "GET /spark/smuggled HTTP/1.1\r\nHost: a\r\n\r\n"

    static func post(_ headers: String, body: String = "") -> Hostile {
        Hostile(name: "", head: "POST /echo HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n", body: body)
    }

    static let cases: [Hostile] = [
        named("Content-Length and Transfer-Encoding", post(
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n")),
        named("Transfer-Encoding and Content-Length", post(
            "Transfer-Encoding: chunked\r\nContent-Length: 30\r\n", body: "0\r\n\r\n")),
        named("two different Content-Length", post("Content-Length: 5\r\nContent-Length: 6\r\n", body: "hello")),
        named("two equal Content-Length", post("Content-Length: 5\r\nContent-Length: 5\r\n", body: "hello")),
        named("Transfer-Encoding with space before colon", post(
            "Transfer-Encoding : chunked\r\n", body: "5\r\nhello\r\n0\r\n\r\n")),
        named("Content-Length of 20 digits", post("Content-Length: 00000000000000000005\r\n", body: "hello")),
        named("Transfer-Encoding chunked, identity", post(
            "Transfer-Encoding: chunked, identity\r\n", body: "5\r\nhello\r\n0\r\n\r\n")),
        named("Transfer-Encoding xchunked", post("Transfer-Encoding: xchunked\r\n", body: "5\r\nhello\r\n0\r\n\r\n")),
        named("Transfer-Encoding identity", post("Transfer-Encoding: identity\r\n", body: "")),
        named("Transfer-Encoding twice", post(
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", body: "5\r\nhello\r\n0\r\n\r\n")),
        named("Transfer-Encoding in HTTP/1.0", Hostile(
            name: "", head: "POST /echo HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            body: "5\r\nhello\r\n0\r\n\r\n")),
        named("bare CR in a header value", post("X-Note: a\rb\r\nContent-Length: 5\r\n", body: "hello")),
        named("space inside a header name", post("X Note: a\r\nContent-Length: 5\r\n", body: "hello")),
        named("duplicate User-Account", post("User-Account: alice\r\nUser-Account: bob\r\nContent-Length: 5\r\n", body: "hello")),
        named("duplicate Authorization", post(
            "Authorization: Basic YTpi\r\nAuthorization: Basic Yzpk\r\nContent-Length: 5\r\n", body: "hello")),
        named("duplicate Host", post("Host: b\r\nContent-Length: 5\r\n", body: "hello")),
        named("duplicate Content-Type", post(
            "Content-Type: application/json\r\nContent-Type: application/yaml\r\nContent-Length: 5\r\n", body: "hello")),
        named("duplicate Idempotency-Key", post(
            "Idempotency-Key: k1\r\nIdempotency-Key: k2\r\nContent-Length: 5\r\n", body: "hello")),
    ]

    /// Malformed `Content-Length` values and oversized chunk sizes: libmicrohttpd refuses these
    /// itself, before the application is called. It writes its response head twice (a
    /// libmicrohttpd 0.9.75 defect the application cannot reach), so what is guaranteed is: only
    /// that error, the connection closed, and nothing after it served.
    static let refusedByLibmicrohttpd: [Hostile] = [
        named("Content-Length +5", post("Content-Length: +5\r\n", body: "hello")),
        named("Content-Length -1", post("Content-Length: -1\r\n", body: "hello")),
        named("Content-Length list 5, 5", post("Content-Length: 5, 5\r\n", body: "hello")),
        named("Content-Length beyond 64 bits", post("Content-Length: 99999999999999999999\r\n", body: "hello")),
        named("Content-Length hexadecimal", post("Content-Length: 0x5\r\n", body: "hello")),
        named("chunk size beyond 64 bits", post(
            "Transfer-Encoding: chunked\r\n", body: "10000000000000000\r\nhello\r\n0\r\n\r\n")),
        named("Content-Length with trailing spaces", post("Content-Length: 5  \r\n", body: "hello")),
    ]

    static func named(_ name: String, _ hostile: Hostile) -> Hostile {
        var hostile = hostile
        hostile.name = name
        return hostile
    }

    @Test(arguments: cases)
    func hostileRequestGetsOne400AndTheConnectionCloses(_ hostile: Hostile) async throws {
        try await withLiveServer(RoutingTests.responder) { server, base in
            let port = server.port
            let started = ContinuousClock.now
            let reply = try await onThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                try socket.send(hostile.head + hostile.body + Self.smuggled)
                return try socket.readUntilClosed()
            }
            #expect(Self.statusLines(reply) == ["HTTP/1.1 400 Bad Request"], "\(reply)")
            #expect(!reply.contains("smuggled"))
            // readUntilClosed returned: the server closed the connection, and did so promptly.
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
            // Nothing of the refused request stays registered.
            #expect(await eventually(timeout: .seconds(3)) { server.inFlightRequests == 0 })
        }
    }

    @Test(arguments: refusedByLibmicrohttpd)
    func malformedLengthsAreRefusedAndTheConnectionCloses(_ hostile: Hostile) async throws {
        try await withLiveServer(RoutingTests.responder) { server, base in
            let port = server.port
            let started = ContinuousClock.now
            let reply = try await onThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                try socket.send(hostile.head + hostile.body + Self.smuggled)
                return try socket.readUntilClosed()
            }
            let statuses = Set(Self.statusLines(reply))
            #expect(statuses.count == 1 && statuses.allSatisfy { $0.hasPrefix("HTTP/1.1 400") || $0.hasPrefix("HTTP/1.1 413") },
                    "\(reply)")
            #expect(!reply.contains("smuggled"))
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(try await fetch("GET", "\(base)/spark/x").status == 200)
            // Nothing of the refused request stays registered.
            #expect(await eventually(timeout: .seconds(3)) { server.inFlightRequests == 0 })
        }
    }

    /// Every status line in a reply, wherever it starts (a body without a final newline runs into
    /// the next response's status line).
    static func statusLines(_ reply: String) -> [String] {
        var lines: [String] = []
        var rest = Substring(reply)
        while let range = rest.range(of: "HTTP/1.") {
            // "\r\n" is one Character in Swift: cut at it as a substring.
            let tail = rest[range.lowerBound...]
            lines.append(String(tail[..<(tail.range(of: "\r\n")?.lowerBound ?? tail.endIndex)]))
            rest = rest[range.upperBound...]
        }
        return lines
    }

    /// The same framing, done right, is served and keeps the connection for the next request.
    @Test(arguments: [
        post("Content-Length: 5\r\n", body: "hello"),
        post("Transfer-Encoding: chunked\r\n", body: "5\r\nhello\r\n0\r\n\r\n"),
        post("transfer-encoding: Chunked\r\n", body: "5\r\nhello\r\n0\r\n\r\n"),
        post("Content-Length:   5\r\nUser-Account: alice\r\nX-Note: a  b\r\n", body: "hello"),
    ])
    func wellFramedRequestsAreServedOnAKeptConnection(_ request: Hostile) async throws {
        try await withLiveServer(RoutingTests.responder) { server, _ in
            let port = server.port
            let reply = try await onThread {
                let socket = try RawSocket(port: port, readTimeout: 10)
                try socket.send(request.head + request.body + "GET /spark/second HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                return try socket.readUntilClosed()
            }
            #expect(Self.statusLines(reply) == ["HTTP/1.1 201 Created", "HTTP/1.1 200 OK"], "\(reply)")
            #expect(reply.contains("hello"))
            #expect(reply.contains("get second"))
        }
    }
}
