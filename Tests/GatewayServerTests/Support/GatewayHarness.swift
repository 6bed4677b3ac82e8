import Foundation
import GatewayCore
import HTTPServing
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
    /// `InMemorySubmissionStore`: for tests whose subject is not the store (routing splits over
    /// thousands of submissions), where SQLite's fsync per commit would be most of the time.
    case memory
    /// The durable stores, which tests parameterized over stores cover.
    static var allCases: [StoreKind] { [.sqlite, .mysql] }
    var testDescription: String { rawValue }

    func open() async throws -> any SubmissionStore {
        switch self {
        case .sqlite:
            let path = NSTemporaryDirectory() + "bpg-gateway-test-\(UUID().uuidString)/bpg.sqlite"
            return try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: path))
        case .memory:
            return InMemorySubmissionStore()
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
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(text)")
        }
        return object
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
}

/// How a test reaches the gateway.
enum GatewayTransport: String, Sendable, CustomTestStringConvertible {
    /// No socket anywhere: requests go to the gateway's responder, the clusters' API to the simulator's
    /// responder (through the real `KubernetesClient`). For everything but what only a socket shows.
    case inProcess
    /// The bundled server on a free loopback port, spoken to with libcurl, in front of simulated
    /// clusters listening over HTTPS: HTTP framing, TLS, slow clients, drain, refused connections.
    case live
    var testDescription: String { rawValue }
}

/// The gateway a harness runs, whichever the transport: the service and, when live, its server.
struct GatewayUnderTest: Sendable {
    let service: GatewayService
    /// The bundled server (live transport only).
    let application: GatewayApplication?
    /// Every route the gateway answers (method and full pattern), as registered.
    let routeTable: [RegisteredRoute]

    var store: any SubmissionStore { service.store }
    var submissions: SubmissionService { service.submissions }
    var clusters: ClusterDirectory { service.clusters }
    var health: ClusterHealthTracker { service.health }
    var monitors: ApplicationMonitors? { service.monitors }
    var metrics: GatewayMetrics { service.metrics }

    /// The listening port; only a live gateway has one.
    var port: Int {
        guard let application else {
            // A failed test, not a crash of the whole test process.
            Issue.record("an in-process gateway has no port: start it with transport: .live")
            return 0
        }
        return application.port
    }
}

/// A gateway in front of two simulated clusters configured as in the AWS EMR-on-EKS walkthrough
/// (`spark-cluster-a`/`spark-cluster-b`, weights 50/50, queue `dev`): in process by default, or live.
final class GatewayHarness: Sendable {
    let dev: DevEnvironment
    let gateway: GatewayUnderTest
    let transport: GatewayTransport
    /// `http://127.0.0.1:PORT/skatev2` when live; the context path alone in process.
    let baseURL: String
    private let responder: HTTPResponder?

    /// - Parameter configure: changes to the walkthrough configuration (auth, queues, tokens…).
    static func start(
        transport: GatewayTransport = .inProcess,
        store: StoreKind = .sqlite,
        timings: SimulatedOperatorTimings = .uniform(.milliseconds(150)),
        configure: (inout GatewayConfiguration) -> Void = { _ in },
        monitor: (inout MonitorSettings) -> Void = { _ in },
        simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in }
    ) async throws -> GatewayHarness {
        let dev = try await DevEnvironment.start(
            sqlitePath: nil, timings: timings, logger: .disabled, inProcess: transport == .inProcess
        ) { cluster in
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
            switch transport {
            case .live:
                let application = try await GatewayApplication.start(options)
                return GatewayHarness(
                    dev: dev, transport: transport,
                    gateway: GatewayUnderTest(service: application.service, application: application, routeTable: application.routeTable),
                    baseURL: "http://127.0.0.1:\(application.port)\(configuration.applicationContextPath)", responder: nil)
            case .inProcess:
                options.service.clusterClients = try await dev.clusterClients(for: configuration)
                let service = try await GatewayService.open(options.service)
                // Mounted as the bundled server mounts it, so the routes and their order are the same.
                var router = RouteTable()
                service.register(into: &router)
                service.startBackgroundWork()
                return GatewayHarness(
                    dev: dev, transport: transport,
                    gateway: GatewayUnderTest(service: service, application: nil, routeTable: router.routes),
                    baseURL: configuration.applicationContextPath, responder: router.build())
            }
        } catch {
            for client in options.service.clusterClients.values { await client.shutdown() }
            await options.store?.shutdown()
            await dev.shutdown()
            throw error
        }
    }

    private init(
        dev: DevEnvironment, transport: GatewayTransport, gateway: GatewayUnderTest, baseURL: String, responder: HTTPResponder?
    ) {
        self.dev = dev
        self.transport = transport
        self.gateway = gateway
        self.baseURL = baseURL
        self.responder = responder
    }

    func shutdown() async {
        if let application = gateway.application {
            await application.shutdown()
        } else {
            await gateway.service.shutdown()
        }
        await dev.shutdown()
    }

    /// The simulated cluster behind a configured cluster id.
    func cluster(_ id: String) -> SimulatedCluster {
        dev.clusters[DevEnvironment.clusterIds.firstIndex(of: id)!]
    }

    /// Sends a request as `user` (the `User-Account` header) unless `headers` carries credentials.
    /// `path` is under the context path (`/spark`), or from the server's root with `fromRoot` (`/metrics`).
    func send(
        _ method: String, _ path: String, user: String? = "alice", headers: [String: String] = [:], body: Data? = nil,
        fromRoot: Bool = false
    ) async throws -> Reply {
        guard let responder else {
            var lines = headers.map { "\($0.key): \($0.value)" }
            if let user { lines.append("User-Account: \(user)") }
            let url = fromRoot ? "http://127.0.0.1:\(gateway.port)\(path)" : baseURL + path
            let response = try await fetch(method, url, headers: lines, body: body)
            var replyHeaders: [String: String] = [:]
            for (name, value) in response.headers { replyHeaders[name.lowercased()] = value }
            return Reply(status: response.status, headers: replyHeaders, body: response.body)
        }
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name, value) }
        if let user { fields.add("User-Account", user) }
        guard let request = HTTPRequest(method: HTTPMethod(rawValue: method), target: fromRoot ? path : baseURL + path, headers: fields, body: body ?? Data())
        else {
            throw HarnessError("\(path) is not a request target the server would accept: send it with transport: .live")
        }
        let response = await responder.respond(to: request)
        var replyHeaders: [String: String] = [:]
        for (name, value) in response.headers { replyHeaders[name.lowercased()] = value }
        return Reply(status: response.status, headers: replyHeaders, body: try await response.collectBody())
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

    /// Polls `/status` until the state is `state`: the monitor's background loop moves it, so this
    /// waits with a deadline. Status reads are cached (`statusCacheExpireMillis`), so a state shows at
    /// most that long after the record has it.
    func waitForState(_ id: String, _ state: String, user: String = "alice", timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let reply = try await send("GET", "/spark/\(id)/status", user: user)
            last = reply.text
            if reply.status == 200, (try? reply.json()["applicationState"] as? String) == state { return }
            try await Task.sleep(for: transport == .live ? .milliseconds(100) : .milliseconds(25))
        }
        throw HarnessError("\(id) did not reach \(state) within \(timeout); last status: \(last)")
    }
}

/// Runs `body` against a fresh gateway (in process unless `transport` says `.live`) and always shuts it down.
func withGateway<T>(
    transport: GatewayTransport = .inProcess,
    store: StoreKind = .sqlite,
    timings: SimulatedOperatorTimings = .uniform(.milliseconds(150)),
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    monitor: (inout MonitorSettings) -> Void = { _ in },
    simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in },
    _ body: (GatewayHarness) async throws -> T
) async throws -> T {
    let harness = try await GatewayHarness.start(
        transport: transport, store: store, timings: timings, configure: configure, monitor: monitor, simulator: simulator)
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
