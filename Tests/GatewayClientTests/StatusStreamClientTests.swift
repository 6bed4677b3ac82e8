import Foundation
import GatewayClient
import HTTPServing
import Synchronization
import Testing

/// The `--wait` watcher against a tiny responder of its own: the status stream with a dropped
/// connection and `Last-Event-ID` resume, and the polling fallback for servers without the stream.
@Suite(.timeLimit(.minutes(1)))
struct StatusStreamClientTests {
    final class Recorder: Sendable {
        let resumeHeaders = Mutex<[String?]>([])
        let polls = Mutex(0)
    }

    static func event(_ sequence: Int, _ state: String, message: String? = nil) -> String {
        let messagePart = message.map { #","message":"\#($0)""# } ?? ""
        return "id: \(sequence)\nevent: state\ndata: {\"submissionId\":\"job-1\",\"sequence\":\(sequence),\"state\":\"\(state)\",\"observedAt\":1764072000000\(messagePart)}\n\n"
    }

    static func responder(_ recorder: Recorder) -> HTTPResponder {
        var router = HTTPRouterBuilder()
        router.add(.get, "/skatev2/spark/job-1/events") { request in
            let resume = request.headers["Last-Event-ID"]
            let connection = recorder.resumeHeaders.withLock { $0.append(resume); return $0.count }
            return HTTPResponse(headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"], body: .stream { writer in
                try await writer.write("retry: 50\n\n: heartbeat\n\n")
                if connection == 1 {
                    // History, then the connection drops before the job ends.
                    try await writer.write(Self.event(1, "SUBMITTED") + Self.event(2, "RUNNING"))
                } else {
                    try await writer.write(Self.event(3, "COMPLETED"))
                }
            })
        }
        router.add(.get, "/skatev2/spark/job-2/events") { _ in
            HTTPResponse(status: 404, headers: ["Content-Type": "application/json"], body: .bytes(Data(#"{"code":404,"message":"no route for GET /skatev2/spark/job-2/events"}"#.utf8)))
        }
        router.add(.get, "/skatev2/spark/job-2/status") { _ in
            let count = recorder.polls.withLock { $0 += 1; return $0 }
            let body = count < 3
                ? #"{"duration":10,"applicationState":"RUNNING"}"#
                : #"{"duration":20,"applicationState":"FAILED","applicationErrorMessage":"driver exited with code 1"}"#
            return HTTPResponse(headers: ["Content-Type": "application/json"], body: .bytes(Data(body.utf8)))
        }
        router.add(.get, "/skatev2/spark/busy/events") { _ in
            HTTPResponse(status: 503, headers: ["Retry-After": "5", "Content-Type": "application/json"],
                         body: .bytes(Data(#"{"code":503,"message":"too many status streams"}"#.utf8)))
        }
        router.add(.get, "/skatev2/spark/busy/status") { _ in
            HTTPResponse(headers: ["Content-Type": "application/json"], body: .bytes(Data(#"{"duration":1,"applicationState":"COMPLETED"}"#.utf8)))
        }
        router.add(.get, "/skatev2/spark/gone/events") { _ in HTTPResponse(status: 405) }
        router.add(.get, "/skatev2/spark/gone/status") { _ in
            HTTPResponse(status: 404, headers: ["Content-Type": "application/json"], body: .bytes(Data(#"{"code":404,"message":"HTTP 404 Not Found"}"#.utf8)))
        }
        return router.build()
    }

    static func withResponder<T>(_ recorder: Recorder, _ body: (GatewayClient) async throws -> T) async throws -> T {
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: responder(recorder))
        try server.start()
        do {
            let client = GatewayClient(endpoint: try GatewayEndpoint(url: "http://127.0.0.1:\(server.port)", user: "alice"))
            let result = try await body(client)
            await server.shutdown(gracePeriod: .seconds(1))
            return result
        } catch {
            await server.shutdown(gracePeriod: .seconds(1))
            throw error
        }
    }

    @Test func aDroppedStreamResumesAfterTheLastEventId() async throws {
        let recorder = Recorder()
        let sources = Mutex<[WatchSource]>([])
        try await Self.withResponder(recorder) { client in
            var states: [String] = []
            for try await change in client.watch("job-1", options: WatchOptions(onSource: { source in sources.withLock { $0.append(source) } })) {
                states.append(change.state)
            }
            #expect(states == ["SUBMITTED", "RUNNING", "COMPLETED"])
        }
        #expect(recorder.resumeHeaders.withLock { $0 } == [nil, "2"])
        #expect(sources.withLock { $0 } == [.stream])
    }

    @Test func aServerWithoutTheStreamIsPolled() async throws {
        let recorder = Recorder()
        let sources = Mutex<[WatchSource]>([])
        try await Self.withResponder(recorder) { client in
            var changes: [StateChange] = []
            let options = WatchOptions(pollInterval: .milliseconds(50), onSource: { source in sources.withLock { $0.append(source) } })
            for try await change in client.watch("job-2", options: options) { changes.append(change) }
            #expect(changes.map(\.state) == ["RUNNING", "FAILED"])
            #expect(changes.last?.message == "driver exited with code 1")
            #expect(changes.last?.isFinal == true && changes.last?.isSuccess == false)
        }
        #expect(sources.withLock { $0 } == [.polling])
    }

    @Test func aServerWithNoStreamFreePolls() async throws {
        let sources = Mutex<[WatchSource]>([])
        try await Self.withResponder(Recorder()) { client in
            var states: [String] = []
            for try await change in client.watch("busy", options: WatchOptions(onSource: { source in sources.withLock { $0.append(source) } })) {
                states.append(change.state)
            }
            #expect(states == ["COMPLETED"])
        }
        #expect(sources.withLock { $0 } == [.polling])
    }

    @Test func anUnknownIdIsA404NotAFallback() async throws {
        try await Self.withResponder(Recorder()) { client in
            await #expect(throws: GatewayClientError.self) {
                for try await _ in client.watch("gone") {}
            }
            do {
                for try await _ in client.watch("gone") {}
            } catch let error as GatewayClientError {
                #expect(error.status == 404)
                #expect(error.exitStatus == .badRequest)
                #expect(error.description == "HTTP 404 Not Found")
            }
        }
    }
}
