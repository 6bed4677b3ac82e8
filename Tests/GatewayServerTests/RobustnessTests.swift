import Foundation
import GatewayCore
import KubeSimulator
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Gateway

private func reply4xx(_ status: Int) -> Bool { (400..<500).contains(status) }

/// The gateway keeps serving after clients misbehave: garbage on the socket, a bad request line, an
/// oversize body, a client vanishing mid-request or in the middle of a followed log.
@Suite struct RobustnessTests {
    /// A plain TCP connection to the gateway for bytes no HTTP client would send. Blocking calls run
    /// on their own thread (`onThread`); every read has a receive timeout so a test cannot hang.
    final class RawConnection: @unchecked Sendable {
        // @unchecked: the descriptor is used by one test at a time, one call after another.
        private let descriptor: Int32

        init(port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw HarnessError("socket: errno \(errno)") }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            // No `close` on failure: `deinit` runs for a failed init too, and a second close could
            // close a descriptor another thread was given in between.
            guard result == 0 else { throw HarnessError("connect: errno \(errno)") }
        }

        deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

        func write(_ text: String) throws { try write(Data(text.utf8)) }

        func write(_ data: Data) throws {
            let sent = data.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent == data.count else { throw HarnessError("send: errno \(errno)") }
        }

        /// Reads until `enough` says so, the peer closes, or the receive timeout.
        func read(until enough: (Data) -> Bool = { _ in false }) -> Data {
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !enough(received) {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                // Another test's child process exiting (SIGCHLD) can interrupt the call: retry.
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                received.append(contentsOf: buffer[0..<count])
            }
            return received
        }

        /// Closes with a reset (linger 0), as a client that crashes would.
        func abort() {
            var linger = linger(l_onoff: 1, l_linger: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
            shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }

    /// A normal authenticated request still succeeds.
    static func expectServing(_ gateway: GatewayHarness, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let reply = try await gateway.send("GET", "/healthcheck/status")
        #expect(reply.status == 200, "\(reply.text)", sourceLocation: sourceLocation)
    }

    static func raw(
        _ gateway: GatewayHarness, _ work: @escaping @Sendable (RawConnection) throws -> Data
    ) async throws -> String {
        let port = gateway.gateway.port
        let data = try await onThread { try work(try RawConnection(port: port)) }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func garbageAndBadRequestLines() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let answered = [
                "GET\r\n\r\n",
                "GET /skatev2/healthcheck/status HTTP/9.9\r\n\r\n",
                "NOT A REQUEST LINE AT ALL\r\nHost: x\r\n\r\n",
                "GET /skatev2/healthcheck/status HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n",
                "POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nUser-Account: alice\r\n\r\n",
                "POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nUser-Account: alice\r\n\r\nzz\r\n",
            ]
            for input in answered {
                let answer = try await Self.raw(gateway) { connection in
                    try connection.write(input)
                    return connection.read()
                }
                // An error status, or the connection closed without one: never a success.
                #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 4") || answer.hasPrefix("HTTP/1.1 5"), "\(input.debugDescription) → \(answer)")
                #expect(!answer.hasPrefix("HTTP/1.1 200"), "\(input.debugDescription) → \(answer)")
                try await Self.expectServing(gateway)
            }

            // Binary garbage gets no answer at all (libmicrohttpd waits for a request line until the
            // connection timeout); meanwhile everyone else is served.
            let port = gateway.gateway.port
            let garbage = try await onThread { () throws -> RawConnection in
                let connection = try RawConnection(port: port)
                try connection.write("\u{0}\u{1}\u{2}garbage\u{7f}\r\n\r\n")
                return connection
            }
            try await Self.expectServing(gateway)
            _ = try await gateway.submit()
            garbage.abort()
            try await Self.expectServing(gateway)
        }
    }

    @Test func oversizeBodies() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            // Declared too large: refused from the headers alone.
            let declared = try await Self.raw(gateway) { connection in
                try connection.write(
                    "POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nUser-Account: alice\r\nContent-Type: application/json\r\nContent-Length: \(4 << 20)\r\n\r\n"
                )
                return connection.read { $0.count >= 12 }
            }
            #expect(declared.hasPrefix("HTTP/1.1 413"), "\(declared)")
            try await Self.expectServing(gateway)

            // Chunked, so the size is known only while reading.
            let chunked = try await Self.raw(gateway) { connection in
                try connection.write(
                    "POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nUser-Account: alice\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                )
                let chunk = Data(String(repeating: "a", count: 64 << 10).utf8)
                for _ in 0..<20 {
                    do {
                        try connection.write(Data("10000\r\n".utf8) + chunk + Data("\r\n".utf8))
                    } catch {
                        break  // the server may close once it has said 413
                    }
                }
                try? connection.write("0\r\n\r\n")
                return connection.read { $0.count >= 12 }
            }
            #expect(chunked.hasPrefix("HTTP/1.1 413"), "\(chunked.prefix(200))")
            try await Self.expectServing(gateway)

            // Through a normal client too.
            let body = Data(count: (1 << 20) + 10)
            let reply = try await gateway.send(
                "POST", "/spark", headers: ["Content-Type": "application/json"], body: body)
            #expect(reply.status == 413)
            try await Self.expectServing(gateway)
        }
    }

    /// Odd paths and headers are ordinary client errors, never a 500 or a dropped server.
    @Test func oddPathsAndHeaders() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let paths = [
                "/spark/%zz/status", "/spark/%00/status", "/spark/..%2F..%2Fetc%2Fpasswd/status",
                "/spark/spark-cluster-a-" + String(repeating: "a", count: 10_000) + "/status",
                "/spark/spark-cluster-a-\(String(repeating: "0", count: 32))%0d%0aX-Injected:%20yes/spec",
                "/log?subId=%ff%fe" + String(repeating: "z", count: 40),
            ]
            for path in paths {
                let reply = try await gateway.send("GET", path)
                #expect((400..<500).contains(reply.status) || reply.status == 200, "\(path.prefix(80)): \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.headers["x-injected"] == nil)
                try await Self.expectServing(gateway)
            }
            // A huge header: refused by the HTTP layer, not a crash.
            let huge = try await gateway.send("GET", "/healthcheck/status", headers: ["X-Padding": String(repeating: "p", count: 200_000)])
            #expect(reply4xx(huge.status) || huge.status == 0, "\(huge.status)")
            try await Self.expectServing(gateway)
        }
    }

    /// Many connections at once all get an answer (here 401: no credentials).
    @Test func manyConcurrentConnections() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let url = gateway.baseURL + "/healthcheck/status"
            let statuses = try await onThread { try concurrentGets(url, count: 300) }
            #expect(statuses.count == 300)
            #expect(statuses.allSatisfy { $0 == 401 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
            try await Self.expectServing(gateway)
        }
    }

    @Test func clientVanishingMidRequest() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            for abortive in [false, true] {
                // Half the headers.
                _ = try await Self.raw(gateway) { connection in
                    try connection.write("POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nUser-Acc")
                    if abortive { connection.abort() }
                    return Data()
                }
                try await Self.expectServing(gateway)
                // Headers, then 10 of the 1000 body bytes promised.
                _ = try await Self.raw(gateway) { connection in
                    try connection.write(
                        "POST /skatev2/spark HTTP/1.1\r\nHost: x\r\nUser-Account: alice\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"applica"
                    )
                    if abortive { connection.abort() }
                    return Data()
                }
                try await Self.expectServing(gateway)
            }
            // Nothing half-received was submitted.
            #expect(try gateway.applicationCount(on: "spark-cluster-a") + gateway.applicationCount(on: "spark-cluster-b") == 0)
        }
    }

    @Test func clientVanishingMidLogStream() async throws {
        let timings = SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(20))
        try await withGateway(transport: .live, timings: timings) { (gateway: GatewayHarness) async throws in
            let id = try await gateway.submit()
            try await gateway.waitForState(id, "RUNNING")
            for abortive in [false, true, false, true] {
                let received = try await Self.raw(gateway) { connection in
                    try connection.write(
                        "GET /skatev2/log?subId=\(id) HTTP/1.1\r\nHost: x\r\nUser-Account: alice\r\n\r\n")
                    // The headers and the first log lines, then away.
                    let data = connection.read { String(decoding: $0, as: UTF8.self).contains("SparkContext") }
                    if abortive { connection.abort() }
                    return data
                }
                #expect(received.hasPrefix("HTTP/1.1 200"), "\(received.prefix(300))")
                #expect(received.contains("SparkContext"), "\(received.prefix(600))")
                try await Self.expectServing(gateway)
            }
            // The job is unaffected and a full read still works once it ends.
            let status = try await gateway.send("GET", "/spark/\(id)/status").json()
            #expect(status["applicationState"] as? String == "RUNNING")
            try await Self.expectServing(gateway)
        }
    }
}
