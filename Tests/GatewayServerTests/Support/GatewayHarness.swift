import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Logging
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// The store a live gateway test runs with.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, mysql
    var testDescription: String { rawValue }

    func open() async throws -> any SubmissionStore {
        switch self {
        case .sqlite:
            let path = NSTemporaryDirectory() + "bpg-gateway-test-\(UUID().uuidString)/bpg.sqlite"
            return try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: path))
        case .mysql:
            guard let url = ProcessInfo.processInfo.environment["BPG_TEST_MYSQL_URL"], !url.isEmpty else {
                throw HarnessError("BPG_TEST_MYSQL_URL is not set: run the tests with ./scripts/test.sh, which starts MariaDB")
            }
            var settings = try MySQLSettings(url: url)
            settings.database = "bpg_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            return try await MySQLSubmissionStore.open(MySQLStoreConfiguration(settings: settings, poolSize: 4))
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A response as a test sees it.
struct Reply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(text)")
        }
        return object
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
}

/// A live gateway on a free loopback port, in front of two simulated HTTPS clusters configured as in
/// the AWS EMR-on-EKS walkthrough (`spark-cluster-a`/`spark-cluster-b`, weights 50/50, queue `dev`).
final class GatewayHarness: Sendable {
    let dev: DevEnvironment
    let gateway: GatewayApplication
    let baseURL: String

    /// - Parameter configure: changes to the walkthrough configuration (auth, queues, tokens…).
    static func start(
        store: StoreKind = .sqlite,
        timings: SimulatedOperatorTimings = .uniform(.milliseconds(150)),
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        monitor: (inout MonitorSettings) -> Void = { _ in },
        simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in }
    ) async throws -> GatewayHarness {
        let dev = try await DevEnvironment.start(sqlitePath: nil, timings: timings, logger: .disabled) { cluster in
            cluster.crd = ReferenceCRD.sparkApplications
            simulator(&cluster)
        }
        var configuration = dev.configuration.configuration
        // Tests start from BPG's behaviour (no health checking, one attempt), which dev mode changes.
        configuration.gateway.health.enabled = false
        configuration.gateway.routing.maxAttempts = 1
        configure(&configuration)
        var options = GatewayApplication.Options(configuration: configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.maxBodyBytes = 1 << 20
        options.shutdownGracePeriod = .seconds(2)
        monitor(&options.monitor)
        do {
            options.store = try await store.open()
            let gateway = try await GatewayApplication.start(options)
            return GatewayHarness(
                dev: dev, gateway: gateway, baseURL: "http://127.0.0.1:\(gateway.port)\(configuration.applicationContextPath)")
        } catch {
            await options.store?.shutdown()
            await dev.shutdown()
            throw error
        }
    }

    private init(dev: DevEnvironment, gateway: GatewayApplication, baseURL: String) {
        self.dev = dev
        self.gateway = gateway
        self.baseURL = baseURL
    }

    func shutdown() async {
        await gateway.shutdown()
        await dev.shutdown()
    }

    /// The simulated cluster behind a configured cluster id.
    func cluster(_ id: String) -> SimulatedCluster {
        dev.clusters[DevEnvironment.clusterIds.firstIndex(of: id)!]
    }

    /// Sends a request as `user` (the `User-Account` header) unless `headers` carries credentials.
    func send(
        _ method: String, _ path: String, user: String? = "alice", headers: [String: String] = [:], body: Data? = nil
    ) async throws -> Reply {
        var lines = headers.map { "\($0.key): \($0.value)" }
        if let user { lines.append("User-Account: \(user)") }
        let response = try await fetch(method, baseURL + path, headers: lines, body: body)
        var replyHeaders: [String: String] = [:]
        for (name, value) in response.headers { replyHeaders[name.lowercased()] = value }
        return Reply(status: response.status, headers: replyHeaders, body: response.body)
    }

    func post(_ path: String, json: String, user: String? = "alice", headers: [String: String] = [:]) async throws -> Reply {
        var headers = headers
        if headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        return try await send("POST", path, user: user, headers: headers, body: Data(json.utf8))
    }

    /// Submits and returns the submission id, failing the test on anything but 200.
    func submit(_ json: String = DevEnvironment.sparkPiRequest, user: String = "alice") async throws -> String {
        let reply = try await post("/spark", json: json, user: user)
        guard reply.status == 200, let id = try reply.json()["submissionId"] as? String else {
            throw HarnessError("submit answered \(reply.status): \(reply.text)")
        }
        return id
    }

    /// Polls `/status` until the state is `state` (status reads are cached for 990 ms).
    func waitForState(_ id: String, _ state: String, user: String = "alice", timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let reply = try await send("GET", "/spark/\(id)/status", user: user)
            last = reply.text
            if reply.status == 200, (try? reply.json()["applicationState"] as? String) == state { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessError("\(id) did not reach \(state) within \(timeout); last status: \(last)")
    }
}

/// Runs `body` against a fresh live gateway and always shuts it down.
func withGateway<T>(
    store: StoreKind = .sqlite,
    timings: SimulatedOperatorTimings = .uniform(.milliseconds(150)),
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    monitor: (inout MonitorSettings) -> Void = { _ in },
    simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in },
    _ body: (GatewayHarness) async throws -> T
) async throws -> T {
    let harness = try await GatewayHarness.start(
        store: store, timings: timings, configure: configure, monitor: monitor, simulator: simulator)
    do {
        let result = try await body(harness)
        await harness.shutdown()
        return result
    } catch {
        await harness.shutdown()
        throw error
    }
}

extension GatewayCluster {
    /// The real client behind a cluster the harness connected, for calls beyond the gateway's seam.
    var kubernetes: KubernetesClient { client as! KubernetesClient }
}
