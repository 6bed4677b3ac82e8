import Foundation
import JSON
import HTTPServing
import Testing

@testable import KubeSimulator

/// A real `SimulatedCluster` on a loopback port, over HTTPS with the development CA, through libcurl.
struct LiveClusterTests {
    static func makeCluster(_ configure: (inout SimulatedClusterConfiguration) -> Void = { _ in }) throws -> SimulatedCluster {
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = .uniform(.milliseconds(50))
        configure(&configuration)
        let cluster = SimulatedCluster(configuration: configuration)
        try cluster.start()
        return cluster
    }

    static let apps = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/spark/sparkapplications"

    @Test func sparkPiOverHTTPSToCompletedWithLogs() async throws {
        let cluster = try Self.makeCluster()
        #expect(cluster.baseURL == "https://127.0.0.1:\(cluster.port)")
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        let version = try await client.send("GET", "/version")
        #expect(version.status == 200)
        #expect(version.json["gitVersion"]?.stringValue?.hasPrefix("v1.") == true)

        let created = try await client.send("POST", Self.apps, body: APIHarness.sparkPi("pi"))
        #expect(created.status == 201)
        #expect(created.header("Content-Type") == "application/json")
        var state = ""
        let deadline = ContinuousClock.now + .seconds(10)
        while state != "COMPLETED", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            state = try await client.send("GET", Self.apps + "/pi").json[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
        }
        #expect(state == "COMPLETED")
        let log = try await client.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log?tailLines=4")
        #expect(log.status == 200)
        #expect(log.text.hasPrefix("Pi is roughly 3.14"))
        let events = try await client.send("GET", "/api/v1/namespaces/spark/events?fieldSelector=involvedObject.name%3Dpi")
        #expect(events.json["items"]?.arrayValue?.contains { $0["reason"] == "SparkApplicationCompleted" } == true)
        await cluster.shutdown()
    }

    @Test func unauthenticatedAndUntrustedClientsAreRefused() async throws {
        let cluster = try Self.makeCluster()
        let anonymous = try await LiveClient(baseURL: cluster.baseURL, token: nil).send("GET", Self.apps)
        #expect(anonymous.status == 401)
        #expect(anonymous.json["reason"] == "Unauthorized")
        // Without the development CA the TLS handshake fails: verification is on.
        await #expect(throws: LiveClient.Failure.self) {
            _ = try await LiveClient(baseURL: cluster.baseURL, token: "simulator-token", caPEM: nil).send("GET", "/version")
        }
        await cluster.shutdown()
    }

    @Test func plainHTTPWithoutAuthentication() async throws {
        let cluster = try Self.makeCluster {
            $0.useTLS = false
            $0.bearerToken = nil
        }
        #expect(cluster.baseURL.hasPrefix("http://"))
        let reply = try await LiveClient(baseURL: cluster.baseURL, token: nil, caPEM: nil).send("GET", Self.apps)
        #expect(reply.status == 200)
        #expect(reply.json["kind"] == "SparkApplicationList")
        await cluster.shutdown()
    }

    @Test func watchStreamsOverTheWire() async throws {
        let cluster = try Self.makeCluster { $0.operatorTimings = .uniform(.milliseconds(20)) }
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        let created = try await client.send("POST", Self.apps, body: APIHarness.sparkPi("pi"))
        let version = try #require(created.json[path: ["metadata", "resourceVersion"]]?.stringValue)
        // The watch runs until its timeout; 5 s leaves the 4 transitions (20 ms apart) room on a loaded machine.
        let watch = try await client.send("GET", Self.apps + "?watch=true&timeoutSeconds=5&resourceVersion=\(version)")
        #expect(watch.status == 200)
        let events = watch.text.split(separator: "\n").compactMap { try? JSONValue(parsing: Data($0.utf8)) }
        let types = events.compactMap { $0["type"]?.stringValue }
        let states = events.compactMap { $0[path: ["object", "status", "applicationState", "state"]]?.stringValue }
        #expect(types.allSatisfy { $0 == "MODIFIED" })
        #expect(states == ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
        await cluster.shutdown()
    }

    @Test func stopAnsweringRefusesConnectionsUntilResumed() async throws {
        let cluster = try Self.makeCluster()
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        let port = cluster.port
        #expect(try await client.send("GET", "/readyz").status == 200)
        await cluster.stopAnswering()
        let refused = await #expect(throws: LiveClient.Failure.self) { _ = try await client.send("GET", "/readyz") }
        #expect(refused?.isConnectionRefused == true)
        try cluster.resumeAnswering()
        #expect(cluster.port == port)
        #expect(try await client.send("GET", "/readyz").status == 200)
        await cluster.shutdown()
    }

    @Test func stopAnsweringEndsOpenWatchesButTheOperatorGoesOn() async throws {
        let cluster = try Self.makeCluster { $0.operatorTimings = .uniform(.milliseconds(100)) }
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        let watch = Task { try await client.send("GET", Self.apps + "?watch=1") }
        while cluster.store.watcherCount < 2 { try await Task.sleep(for: .milliseconds(10)) }
        _ = try await client.send("POST", Self.apps, body: APIHarness.sparkPi("pi"))
        await cluster.stopAnswering()
        let cut = try await watch.value
        #expect(cut.status == 200)
        #expect(cut.text.hasPrefix("{\"object\""))
        // While unreachable, the cluster keeps running the application.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline,
            (try? cluster.store.get(.sparkApplications, namespace: "spark", name: "pi"))?[path: ["status", "applicationState", "state"]] != "COMPLETED"
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        await #expect(throws: LiveClient.Failure.self) { _ = try await client.send("GET", "/readyz") }
        try cluster.resumeAnswering()
        let app = try await client.send("GET", Self.apps + "/pi")
        #expect(app.json[path: ["status", "applicationState", "state"]] == "COMPLETED")
        await cluster.shutdown()
    }

    @Test func injectedFaultsOverTheWire() async throws {
        let cluster = try Self.makeCluster()
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        cluster.failNextCreates(1, status: 429)
        let throttled = try await client.send("POST", Self.apps, body: APIHarness.sparkPi("pi"))
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "1")
        #expect(throttled.json["reason"] == "TooManyRequests")
        cluster.setLatency(.milliseconds(300))
        let started = ContinuousClock.now
        #expect(try await client.send("POST", Self.apps, body: APIHarness.sparkPi("pi")).status == 201)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        await cluster.shutdown()
    }

    @Test func outcomesAndSecretsThroughThePublicAPI() async throws {
        let cluster = try Self.makeCluster()
        cluster.setOutcome(.failed, forApplicationNamed: "doomed")
        cluster.putSecret(namespace: "bpg", name: "db", data: ["password": Data("hunter2".utf8)])
        let responder = cluster.responder
        func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
            var request = HTTPRequest(method: method, path: path, headers: ["Authorization": "Bearer simulator-token"], body: body?.serialized() ?? Data())
            request.peerAddress = "127.0.0.1"
            let response = await responder.respond(to: request)
            return try JSONValue(parsing: try await response.collectBody())
        }
        // In-process through the HTTPServing responder, as the gateway's tests do.
        #expect(try await send(.get, "/api/v1/namespaces/bpg/secrets/db")[path: ["data", "password"]] == .string(Data("hunter2".utf8).base64EncodedString()))
        _ = try await send(.post, Self.apps, body: APIHarness.sparkPi("doomed"))
        var state = ""
        let deadline = ContinuousClock.now + .seconds(10)
        while state != "FAILED", ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            state = try await send(.get, Self.apps + "/doomed")[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
        }
        #expect(state == "FAILED")
        await cluster.shutdown()
    }
}

extension LiveClusterTests {
    @Test func aTakenPortIsAnErrorAndStartCanBeRetried() async throws {
        let first = try Self.makeCluster()
        var configuration = SimulatedClusterConfiguration()
        configuration.port = first.port
        let second = SimulatedCluster(configuration: configuration)
        #expect(throws: (any Error).self) { try second.start() }
        await first.shutdown()
        try second.start()
        #expect(second.port == configuration.port)
        #expect(try await LiveClient(baseURL: second.baseURL, token: "simulator-token").send("GET", "/readyz").status == 200)
        await second.shutdown()
    }
}

extension LiveClusterTests {
    @Test func capacityCanChangeWhileRunning() async throws {
        let cluster = try Self.makeCluster {
            $0.capacity = 0
            $0.operatorTimings = .uniform(.milliseconds(20))
        }
        let client = LiveClient(baseURL: cluster.baseURL, token: "simulator-token")
        for name in ["a", "b"] { _ = try await client.send("POST", Self.apps, body: APIHarness.sparkPi(name)) }
        func states() async throws -> [String] {
            let list = try await client.send("GET", Self.apps)
            return list.json["items"]?.arrayValue?.compactMap { $0[path: ["status", "applicationState", "state"]]?.stringValue } ?? []
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, await cluster.operatorLoad().waiting < 2 { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await states() == ["SUBMITTED", "SUBMITTED"])
        await cluster.setCapacity(nil)
        while ContinuousClock.now < deadline, try await states() != ["COMPLETED", "COMPLETED"] { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await states() == ["COMPLETED", "COMPLETED"])
        await cluster.shutdown()
    }
}
