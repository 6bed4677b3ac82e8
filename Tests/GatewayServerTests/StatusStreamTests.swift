import Foundation
import GatewayCore
import HTTPServing
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// `GET <root>/spark/{id}/events` (docs/api.md, "Status stream"): the history, then live
/// transitions, resume, heartbeats, the end after a terminal state, and status's answers for
/// strangers and unknown ids.
@Suite struct StatusStreamTests {
    /// One parsed `text/event-stream` body.
    struct Parsed {
        var retry: String?
        var events: [(id: Int, event: String, data: [String: Any])] = []
        var heartbeats = 0

        init(_ text: String) {
            for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
                var id = 0
                var event = ""
                var data: [String: Any] = [:]
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line == ": heartbeat" { heartbeats += 1 }
                    if line.hasPrefix("retry: ") { retry = String(line.dropFirst(7)) }
                    if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) ?? -1 }
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") {
                        data = (try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]) ?? [:]
                    }
                }
                if !event.isEmpty { events.append((id, event, data)) }
            }
        }

        var states: [String] { events.map { $0.data["state"] as? String ?? "?" } }
        var ids: [Int] { events.map(\.id) }
    }

    static func quick(_ configuration: inout GatewayConfiguration) {
        configuration.gateway.statusStream.heartbeatMillis = 60_000
        // A poll this slow would make every test here time out: the monitor's wake-up is what sends.
        configuration.gateway.statusStream.pollIntervalMillis = 60_000
    }

    @Test(arguments: StoreKind.allCases)
    func historyThenLiveTransitionsUntilTheEnd(store: StoreKind) async throws {
        try await withGateway(
            store: store, timings: .uniform(.milliseconds(300)), configure: Self.quick, monitor: MonitorTests.fast
        ) { gateway in
            let id = try await gateway.submit()
            let started = ContinuousClock.now
            let reply = try await gateway.send("GET", "/spark/\(id)/events")
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("Content-Type") == "text/event-stream")
            #expect(reply.header("Cache-Control") == "no-cache")
            #expect(reply.text.hasPrefix("retry: 3000\n\n"))
            // Closed right after COMPLETED, long before a 60 s poll would have seen anything.
            #expect(ContinuousClock.now - started < .seconds(20))
            let parsed = Parsed(reply.text)
            #expect(parsed.retry == "3000")
            #expect(parsed.ids == Array(1...parsed.events.count))
            #expect(parsed.states.first == "ACCEPTED")
            #expect(parsed.states.last == "COMPLETED")
            #expect(parsed.states.contains("RUNNING"))
            #expect(Set(parsed.events.map(\.event)) == ["state"])
            for (index, event) in parsed.events.enumerated() {
                #expect(event.data["submissionId"] as? String == id)
                #expect(event.data["sequence"] as? Int == index + 1)
                #expect((event.data["observedAt"] as? Int64 ?? Int64(event.data["observedAt"] as? Int ?? 0)) > 1_700_000_000_000)
                #expect(event.data["message"] == nil, "no message on a plain transition: \(event.data)")
            }
            // The history the stream sent is the store's.
            let history = try await gateway.gateway.store.statusHistory(submissionId: id)
            #expect(history.map(\.status) == parsed.states)
        }
    }

    @Test func resumesAfterLastEventIdAndRejectsABadOne() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: Self.quick, monitor: MonitorTests.fast) { gateway in
            let id = try await gateway.submit()
            try await gateway.waitForState(id, "COMPLETED")
            let all = Parsed(try await gateway.send("GET", "/spark/\(id)/events").text)
            let count = all.events.count
            #expect(count >= 4, "\(all.states)")

            let afterTwo = Parsed(try await gateway.send("GET", "/spark/\(id)/events", headers: ["Last-Event-ID": "2"]).text)
            #expect(afterTwo.ids == Array(3...count))
            #expect(afterTwo.states == Array(all.states.dropFirst(2)))
            let byQuery = Parsed(try await gateway.send("GET", "/spark/\(id)/events?lastEventId=2").text)
            #expect(byQuery.ids == afterTwo.ids)

            // Already has the terminal state: the stream says retry and ends.
            let done = try await gateway.send("GET", "/spark/\(id)/events", headers: ["Last-Event-ID": "\(count)"])
            #expect(done.status == 200)
            #expect(done.text == "retry: 3000\n\n")

            let bad = try await gateway.send("GET", "/spark/\(id)/events", headers: ["Last-Event-ID": "seven"])
            #expect(bad.status == 400)
            #expect(bad.text.contains("Last-Event-ID"), "\(bad.text)")
            let badQuery = try await gateway.send("GET", "/spark/\(id)/events?lastEventId=-3")
            #expect(badQuery.status == 400)
            #expect(badQuery.text.contains("lastEventId"), "\(badQuery.text)")
        }
    }

    @Test func heartbeatsWhileNothingHappens() async throws {
        let timings = SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(2))
        try await withGateway(
            timings: timings, configure: { $0.gateway.statusStream.heartbeatMillis = 150 }, monitor: MonitorTests.fast
        ) { gateway in
            let id = try await gateway.submit()
            let parsed = Parsed(try await gateway.send("GET", "/spark/\(id)/events").text)
            #expect(parsed.heartbeats >= 3, "a 2 s run with a 150 ms heartbeat")
            #expect(parsed.states.last == "COMPLETED")
        }
    }

    @Test func aFailedJobEndsWithTheOperatorsReason() async throws {
        let timings = SimulatedOperatorTimings(submission: .seconds(2), start: .milliseconds(200), run: .milliseconds(300))
        try await withGateway(timings: timings, configure: Self.quick, monitor: MonitorTests.fast) { gateway in
            let id = try await gateway.submit()
            for cluster in DevEnvironment.clusterIds { gateway.cluster(cluster).setOutcome(.failed, forApplicationNamed: id) }
            let parsed = Parsed(try await gateway.send("GET", "/spark/\(id)/events").text)
            #expect(parsed.states.last == "FAILED", "\(parsed.states)")
            let message = parsed.events.last?.data["message"] as? String
            let status = try await gateway.send("GET", "/spark/\(id)/status").json()
            #expect(message != nil && message == status["applicationErrorMessage"] as? String, "\(String(describing: message)) vs \(status)")
        }
    }

    @Test func strangersAndUnknownIdsGetStatussAnswer() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                Self.quick(&$0)
                $0.gateway.auth.enforceOwnership = true
                $0.gateway.auth.adminUsers = ["root"]
            }, monitor: MonitorTests.fast
        ) { gateway in
            let id = try await gateway.submit(user: "alice")
            try await gateway.waitForState(id, "COMPLETED", user: "alice")
            // A well-formed id nobody submitted.
            let unknown = String(id.dropLast(6)) + (id.hasSuffix("000000") ? "111111" : "000000")
            for (user, path) in [("bob", "/spark/\(id)"), ("alice", "/spark/\(unknown)")] {
                let status = try await gateway.send("GET", path + "/status", user: user)
                let events = try await gateway.send("GET", path + "/events", user: user)
                #expect(status.status == (user == "bob" ? 403 : 404))
                #expect(events.status == status.status)
                #expect(events.text == status.text)
            }
            for user in ["alice", "root"] {
                let events = try await gateway.send("GET", "/spark/\(id)/events", user: user)
                #expect(Parsed(events.text).states.last == "COMPLETED", "\(user): \(events.text)")
            }
            let anonymous = try await gateway.send("GET", "/spark/\(id)/events", user: nil)
            #expect(anonymous.status == 401)
        }
    }

    /// Past `maxStreams` a client gets 503 and `Retry-After`; shutdown ends the open streams.
    @Test func boundedAndEndedAtShutdown() async throws {
        let timings = SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(30))
        try await withGateway(
            timings: timings, configure: { $0.gateway.statusStream.maxStreams = 1 }, monitor: MonitorTests.fast
        ) { gateway in
            let id = try await gateway.submit()
            let request = try #require(HTTPRequest(method: .get, target: "/skatev2/spark/\(id)/events", headers: ["User-Account": "alice"]))
            // The same gateway's routes, called directly, so this test holds the response unread.
            var router = RouteTable()
            gateway.gateway.service.register(into: &router)
            let responder = router.build()
            let first = await responder.respond(to: request)
            #expect(first.status == 200)
            let second = try await gateway.send("GET", "/spark/\(id)/events")
            #expect(second.status == 503)
            #expect(second.header("Retry-After") == "5")
            #expect(second.text.contains("status streams"), "\(second.text)")

            let streaming = Task { try await first.collectBody() }
            try await gateway.waitForState(id, "RUNNING")
            let stream = gateway.gateway.service.statusStream
            #expect(stream.openStreams == 1)
            let metrics = try await gateway.send("GET", "/metrics", fromRoot: true)
            #expect(metrics.text.contains("# TYPE bpg_status_streams_open gauge\nbpg_status_streams_open 1\n"), "\(metrics.text)")
            gateway.gateway.service.endStatusStreams()
            let body = String(decoding: try await streaming.value, as: UTF8.self)
            #expect(Parsed(body).states.first == "ACCEPTED")
            #expect(stream.openStreams == 0)
            let refused = try await gateway.send("GET", "/spark/\(id)/events")
            #expect(refused.status == 503)
        }
    }

    /// The bundled server's shutdown ends open streams first: a stream on a job that runs for a
    /// minute does not hold the drain for its grace period, and its client gets a clean end.
    @Test func serverShutdownEndsOpenStreamsBeforeTheDrain() async throws {
        let timings = SimulatedOperatorTimings(submission: .milliseconds(100), start: .milliseconds(100), run: .seconds(60))
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: timings, logger: .disabled)
        var options = GatewayApplication.Options(configuration: dev.configuration.configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.shutdownGracePeriod = .seconds(20)
        let gateway: GatewayApplication
        do {
            gateway = try await GatewayApplication.start(options)
        } catch {
            await dev.shutdown()
            throw error
        }
        let base = "http://127.0.0.1:\(gateway.port)/skatev2"
        var streaming: Task<ClientResponse, any Error>?
        do {
            let submitted = try await fetch(
                "POST", base + "/spark", headers: ["User-Account: alice", "Content-Type: application/json"],
                body: Data(DevEnvironment.sparkPiRequest.utf8))
            let id = try #require(
                (try JSONSerialization.jsonObject(with: submitted.body) as? [String: Any])?["submissionId"] as? String,
                "\(submitted.text)")
            streaming = Task { try await fetch("GET", base + "/spark/\(id)/events", headers: ["User-Account: alice"]) }
            let deadline = ContinuousClock.now + .seconds(20)
            while gateway.service.statusStream.openStreams == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(gateway.service.statusStream.openStreams == 1)
        } catch {
            await gateway.shutdown()
            await dev.shutdown()
            throw error
        }
        let started = ContinuousClock.now
        await gateway.shutdown()
        let took = ContinuousClock.now - started
        await dev.shutdown()
        #expect(took < .seconds(10), "shutdown took \(took): the stream held the drain")
        let reply = try #require(try await streaming?.value)
        #expect(reply.status == 200)
        #expect(Parsed(reply.text).states.first == "ACCEPTED", "\(reply.text)")
    }

    /// Over a real socket: chunked `text/event-stream` through the bundled server, ended by the server.
    @Test func liveOverASocket() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(200)), configure: Self.quick, monitor: MonitorTests.fast) {
            gateway in
            let id = try await gateway.submit()
            let reply = try await gateway.send("GET", "/spark/\(id)/events", headers: ["Last-Event-ID": "1"])
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "text/event-stream")
            let parsed = Parsed(reply.text)
            #expect(parsed.ids.first == 2)
            #expect(parsed.states.last == "COMPLETED")
        }
    }
}
