import Foundation
@testable import GatewayClient
import JSON
import Testing

/// The pure parts: the event-stream parser, tables, where to connect, request overrides.
struct ServerSentEventParserTests {
    static let stream = "retry: 3000\n\n: heartbeat\n\nid: 1\nevent: state\ndata: {\"state\":\"SUBMITTED\"}\n\n"
        + "id: 2\r\nevent: state\r\ndata: line one\r\ndata: line two\r\n\r\n" + "data:no space\rid: 3\r\r" + "id: 4\nevent: state\n\n"

    @Test(arguments: [1, 2, 3, 7, 1000])
    func eventsSurviveAnyChunking(chunkSize: Int) throws {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        let bytes = Array(Self.stream.utf8)
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            events += try parser.feed(bytes[start..<min(bytes.count, start + chunkSize)])
        }
        #expect(events == [
            ServerSentEvent(event: "state", data: #"{"state":"SUBMITTED"}"#, id: "1"),
            ServerSentEvent(event: "state", data: "line one\nline two", id: "2"),
            ServerSentEvent(event: "message", data: "no space", id: "3"),
        ])
        // An event without data is not dispatched, but its id still moves the resume point.
        #expect(parser.lastEventId == "4")
        #expect(parser.retryMillis == 3000)
        #expect(parser.comments == 1)
    }

    @Test func anEndlessLineIsRefused() {
        var parser = ServerSentEventParser()
        parser.maxLineBytes = 100
        #expect(throws: GatewayClientError.self) { _ = try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 101)) }
    }

    @Test func stateEventsDecodeAndFinalStatesAreKnown() throws {
        let change = try StateChange(
            eventData: #"{"submissionId":"s","sequence":3,"state":"FAILED","observedAt":1764072000000,"message":"boom"}"#, fallbackId: "x")
        #expect(change == StateChange(submissionId: "s", state: "FAILED", message: "boom", sequence: 3, observedAt: 1_764_072_000_000))
        #expect(change.isFinal && !change.isSuccess)
        for state in ["COMPLETED", "FAILED", "SUBMISSION_FAILED", "KILLED"] { #expect(StateChange.isFinal(state), "\(state)") }
        for state in ["SUBMITTED", "RUNNING", "SUCCEEDING", "FAILING", "PENDING_RERUN", "UNKNOWN", ""] {
            #expect(!StateChange.isFinal(state), "\(state)")
        }
    }
}

struct TableTests {
    static let table = Table(
        columns: [.init("ID"), .init("STATE"), .init("NAME", shrinkable: true), .init("MESSAGE", shrinkable: true)],
        rows: [
            ["spark-cluster-a-0123456789abcdef0123456789abcdef", "RUNNING", "A very long application name indeed", "no message"],
            ["spark-cluster-b-0123456789abcdef0123456789abcdef", "FAILED", "short", "driver exited with code 1\nsecond line"],
        ])

    @Test func unlimitedWidthKeepsEveryCell() {
        let text = Self.table.render(width: nil)
        #expect(text.contains("A very long application name indeed"))
        #expect(text.split(separator: "\n").count == 3)
        #expect(!text.contains("…"))
        // A message's newline never breaks a row.
        #expect(text.contains("driver exited with code 1 second line"))
    }

    @Test(arguments: [40, 60, 80, 100, 120])
    func noLineIsWiderThanTheTerminal(width: Int) {
        let lines = Self.table.render(width: width).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
        #expect(lines.count == 3)
    }

    @Test func optionalColumnsAreLeftOutBeforeIdsAreCut() {
        var table = Self.table
        table.columns[1].dropOrder = 1
        let text = table.render(width: 70)
        #expect(!text.contains("STATE"))
        #expect(text.contains("spark-cluster-a-0123456789abcdef0123456789abcdef"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 70 })
        #expect(table.render(width: 200).contains("STATE"))
    }

    @Test func emptyOptionalColumnsAreLeftOut() {
        var table = Self.table
        table.columns[3].dropOrder = 1
        table.rows = table.rows.map { [$0[0], $0[1], $0[2], ""] }
        #expect(!table.render(width: nil).contains("MESSAGE"))
        table.columns[3].dropOrder = nil
        #expect(table.render(width: nil).contains("MESSAGE"))
    }

    @Test func freeTextGivesWayBeforeIds() {
        let text = Self.table.render(width: 100)
        #expect(text.contains("spark-cluster-a-0123456789abcdef0123456789abcdef"))
        #expect(text.contains("…"))
    }
}

struct ConnectionTests {
    static let file = ClientConfigFile(currentContext: "prod", contexts: [
        .init(name: "prod", url: "https://bpg.example.com", user: "alice", password: "from-file", root: "/gw"),
        .init(name: "dev", url: "http://127.0.0.1:8080/skatev2", user: "demo", passwordCommand: "echo x"),
    ])

    @Test func flagsBeatTheEnvironmentWhichBeatsTheCurrentContext() throws {
        let fromContext = try ConnectionResolver.resolve(flags: .init(), environment: [:], file: Self.file)
        #expect(fromContext.endpoint.base == "https://bpg.example.com/gw")
        #expect(fromContext.endpoint.user == "alice" && fromContext.endpoint.password == "from-file" && fromContext.passwordKnown)

        let fromEnvironment = try ConnectionResolver.resolve(
            flags: .init(), environment: ["BPG_URL": "http://10.0.0.1:9090", "BPG_USER": "bob", "BPG_PASSWORD": "env"], file: Self.file)
        #expect(fromEnvironment.endpoint.base == "http://10.0.0.1:9090/skatev2")
        #expect(fromEnvironment.endpoint.user == "bob" && fromEnvironment.endpoint.password == "env")

        let fromFlags = try ConnectionResolver.resolve(
            flags: .init(url: "http://h:1/root", user: "carol"), environment: ["BPG_URL": "http://ignored"], file: Self.file)
        #expect(fromFlags.endpoint.base == "http://h:1/root" && fromFlags.endpoint.user == "carol")
        // Another user than the context's does not get the context's password.
        #expect(fromFlags.endpoint.password == nil && !fromFlags.passwordKnown)

        let named = try ConnectionResolver.resolve(
            flags: .init(context: "dev"), environment: ["BPG_URL": "http://ignored"], file: Self.file, runPasswordCommand: { _ in "cmd" })
        #expect(named.endpoint.base == "http://127.0.0.1:8080/skatev2" && named.endpoint.password == "cmd")
    }

    @Test func mistakesAreNamed() {
        #expect(throws: GatewayClientError.input("no context named 'nope' in the config file (contexts: prod, dev)")) {
            try ConnectionResolver.resolve(flags: .init(context: "nope"), environment: [:], file: Self.file)
        }
        #expect(throws: GatewayClientError.self) { try GatewayEndpoint(url: "ftp://x") }
        #expect(throws: GatewayClientError.self) { try GatewayEndpoint(url: "http://u:p@x") }
        #expect(throws: GatewayClientError.self) { try ConnectionResolver.resolve(flags: .init(), environment: [:], file: ClientConfigFile()) }
    }

    @Test func theConfigFileIsReadWithItsKeys() throws {
        let path = NSTemporaryDirectory() + "bpg-config-\(UUID().uuidString).yaml"
        try """
            current-context: dev
            contexts:
              - name: dev
                url: http://127.0.0.1:8080
                user: demo
                password-command: printf 'secret\\nignored'
                ca-file: /etc/ca.pem
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ClientConfigFile.load(path: path)
        #expect(file.currentContext == "dev")
        #expect(file.contexts.first?.passwordCommand == "printf 'secret\\nignored'")
        #expect(file.contexts.first?.caFile == "/etc/ca.pem")
        let resolved = try ConnectionResolver.resolve(flags: .init(), environment: [:], file: file)
        #expect(resolved.endpoint.password == "secret")
        #expect(!resolved.endpoint.description.contains("secret"))
        try "contexts:\n  - name: a\n    url: http://x\n    pasword: typo\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: GatewayClientError.self) { try ClientConfigFile.load(path: path) }
        #expect(ClientConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/bpg/config.yaml")
        #expect(ClientConfigFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.config/bpg/config.yaml")
        #expect(ClientConfigFile.defaultPath(environment: ["BPG_CONFIG": "/c.yaml", "HOME": "/h"]) == "/c.yaml")
    }
}

struct RequestOverrideTests {
    @Test func yamlWithOverridesIsSentAsJSON() throws {
        var options = SubmitOptions(file: "r.yaml")
        options.queue = "poc"
        options.conf = [.init(key: "spark.a", value: "1"), .init(key: "spark.a", value: "2")]
        let (body, type) = try ClientRunner.requestBody(options, input: Data("queue: dev\narguments: ['10']\nsparkConf: {spark.b: x}\n".utf8))
        #expect(type == "application/json")
        let request = try JSONValue(parsing: body)
        #expect(request["queue"] == "poc")
        #expect(request["arguments"] == ["10"])
        #expect(request["sparkConf"] == ["spark.b": "x", "spark.a": "2"])
    }

    @Test func withoutOverridesTheInputIsSentAsItIs() throws {
        let yaml = Data("queue: dev\n".utf8)
        #expect(try ClientRunner.requestBody(SubmitOptions(file: "r"), input: yaml) == (yaml, "application/yaml"))
        let json = Data(#"  {"queue":"dev"}"#.utf8)
        #expect(try ClientRunner.requestBody(SubmitOptions(file: "r"), input: json) == (json, "application/json"))
        #expect(throws: GatewayClientError.self) { try ClientRunner.requestBody(SubmitOptions(file: "r"), input: Data(" \n".utf8)) }
    }
}
