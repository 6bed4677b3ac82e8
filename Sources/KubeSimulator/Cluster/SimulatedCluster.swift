import Foundation
import JSON
import HTTPServing
import Logging
import Synchronization

/// One simulated Spark-on-Kubernetes cluster: a Kubernetes API server (discovery, SparkApplications,
/// pods and logs, events, secrets, leases; watches; bearer-token auth; HTTPS) and a simulated Spark
/// operator that runs every application it is given, in-process.
///
///     let cluster = SimulatedCluster(configuration: SimulatedClusterConfiguration())
///     try cluster.start()
///     // point a client at cluster.baseURL, trusting SimulatedCluster.developmentCertificateAuthorityPEM,
///     // with "Authorization: Bearer simulator-token"
///     cluster.failNextCreates(2, status: 503)
///     await cluster.shutdown()
public final class SimulatedCluster: Sendable {
    /// A throwaway CA and a server certificate for 127.0.0.1, localhost and ::1 (embedded PEM, valid
    /// for twenty years; for tests and dev mode only — never trust it anywhere else).
    public static let developmentCertificateAuthorityPEM: String = DevelopmentCertificates.certificateAuthorityPEM

    /// The configuration the cluster was made with.
    public let configuration: SimulatedClusterConfiguration
    /// The API server's storage; tests may read and seed objects directly.
    public let store: ObjectStore
    /// Container logs of the simulated pods.
    public let podLogs: PodLogStore

    let faults = FaultInjector()
    let outcomes = OutcomeBook()
    let api: KubeAPI
    let simulatedOperator: SimulatedOperator
    /// The API server without a socket: what `start()` serves over HTTP(S), callable directly by an
    /// in-process client (after `startInProcess()`), with the same paths, Status bodies and watch streams.
    public let responder: HTTPResponder

    private struct State {
        var server: HTTPServer?
        var port = 0
        var certificateDirectory: URL?
        var started = false
    }

    private let state = Mutex(State())

    /// Builds the cluster (store, API, operator); nothing listens until `start()`.
    public init(configuration: SimulatedClusterConfiguration) {
        self.configuration = configuration
        store = ObjectStore(
            historyLimit: configuration.watchHistoryLimit, historyWindow: configuration.watchHistoryWindow,
            watchBufferLimit: configuration.watchBufferLimit)
        podLogs = PodLogStore()
        var settings = KubeAPI.Settings()
        settings.bearerToken = configuration.bearerToken
        settings.bookmarkInterval = configuration.bookmarkInterval
        settings.defaultWatchTimeout = configuration.defaultWatchTimeout
        settings.logger = configuration.logger
        settings.crd = configuration.crd
        settings.namespaces = configuration.namespaces
        settings.podGracePeriodLimit = configuration.podGracePeriodLimit
        let api = KubeAPI(store: store, logs: podLogs, faults: faults, settings: settings)
        self.api = api
        let outcomes = self.outcomes
        simulatedOperator = SimulatedOperator(
            store: store, logs: podLogs, timings: configuration.operatorTimings, capacity: configuration.capacity,
            eventLimit: configuration.eventLimit, logger: configuration.logger
        ) { namespace, name, application, attempt in
            outcomes.outcome(namespace: namespace, name: name, application: application, attempt: attempt)
        }
        var router = HTTPRouterBuilder()
        // The Kubernetes API has its own path grammar and Status bodies: every request goes to it.
        router.notFound = { request in await SimulatedCluster.respond(api, to: request) }
        responder = router.build()
    }

    /// Binds, serves, and starts the simulated operator. Throws the HTTP server's error when the
    /// port cannot be bound or the certificate cannot be written.
    public func start() throws {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else { return }
        do {
            try listen(on: configuration.port)
        } catch {
            state.withLock { $0.started = false }
            throw error
        }
        // The operator's watch starts from the current state, so nothing created meanwhile is missed.
        let simulatedOperator = self.simulatedOperator
        Task { await simulatedOperator.start() }
    }

    /// Starts the simulated operator without listening: the API is reached only through `responder`
    /// (no port, no certificate). Connection-level faults (`stopAnswering()`) need a listening cluster.
    public func startInProcess() async {
        let alreadyStarted = state.withLock { state in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else { return }
        await simulatedOperator.start()
    }

    private func listen(on port: Int) throws {
        var server = HTTPServerConfiguration()
        server.host = configuration.host
        server.port = port
        server.logger = configuration.logger
        // Watches and log follows may sit idle for long stretches, as against a real API server.
        server.connectionTimeout = .seconds(3600)
        if configuration.useTLS {
            let directory = try certificateDirectory()
            server.tls = .init(
                certificatePath: directory.appendingPathComponent("server.pem").path,
                privateKeyPath: directory.appendingPathComponent("server.key").path)
        }
        let httpServer = HTTPServer(configuration: server, responder: responder)
        try httpServer.start()
        state.withLock { state in
            state.server = httpServer
            state.port = httpServer.port
        }
        configuration.logger.debug("simulated cluster listening on \(baseURL)")
    }

    /// Writes the development certificate and key to a private temporary directory (once).
    private func certificateDirectory() throws -> URL {
        if let existing = state.withLock({ $0.certificateDirectory }) { return existing }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubesimulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try Data(DevelopmentCertificates.serverCertificatePEM.utf8).write(to: directory.appendingPathComponent("server.pem"))
        let keyPath = directory.appendingPathComponent("server.key")
        try Data(DevelopmentCertificates.serverPrivateKeyPEM.utf8).write(to: keyPath)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath.path)
        state.withLock { $0.certificateDirectory = directory }
        return directory
    }

    /// The bound port (after `start()`).
    public var port: Int { state.withLock { $0.port } }

    /// `"https://127.0.0.1:PORT"` (or `http://` without TLS).
    public var baseURL: String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "\(configuration.useTLS ? "https" : "http")://\(host):\(port)"
    }

    /// Stops the operator, ends watches and log follows, stops listening and removes the temporary
    /// certificate files.
    public func shutdown() async {
        await simulatedOperator.stop()
        store.closeAllWatches()
        podLogs.closeAllFollowers()
        let (server, directory) = state.withLock { state in
            defer {
                state.server = nil
                state.certificateDirectory = nil
            }
            return (state.server, state.certificateDirectory)
        }
        await server?.shutdown(gracePeriod: .seconds(2))
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: - Fault injection

    /// Fails the next `count` SparkApplication creates with `status` (500, 429 with `Retry-After: 1`,
    /// 503, …) and a matching Status body; nothing is stored for them.
    public func failNextCreates(_ count: Int, status: Int) {
        faults.failNextCreates(count, status: status)
    }

    /// Stores the next `count` SparkApplication creates only `delay` after they arrive, and answers
    /// them then (504, as an API server whose storage was slow) — by which time a client with a
    /// shorter timeout has given up. This is the case a real API server shows under etcd pressure:
    /// the request is processed although nobody waits for the answer any more. With `storing: false`
    /// nothing is stored (the request was lost).
    public func delayNextCreates(_ count: Int, by delay: Duration, storing: Bool = true) {
        faults.delayNextCreates(count, by: delay, storing: storing)
    }

    /// Delays every request by `latency` before it is handled (`.zero` turns it off).
    public func setLatency(_ latency: Duration) {
        faults.setLatency(latency)
    }

    /// Closes the listener and every open watch: connections are refused until `resumeAnswering()`.
    /// The store and the operator keep going, as a cluster does while its API server is unreachable.
    public func stopAnswering() async {
        let server = state.withLock { state in
            defer { state.server = nil }
            return state.server
        }
        store.closeAllWatches()
        podLogs.closeAllFollowers()
        await server?.shutdown(gracePeriod: .milliseconds(100))
    }

    /// Listens again on the same port.
    public func resumeAnswering() throws {
        guard state.withLock({ $0.server == nil }) else { return }
        try listen(on: port)
    }

    /// Changes the cluster's capacity while it runs (nil: unlimited): fill a cluster to build a backlog,
    /// then open it up to drain it.
    public func setCapacity(_ capacity: Int?) async {
        await simulatedOperator.setCapacity(capacity)
    }

    /// How many applications are running and how many wait SUBMITTED for a slot.
    public func operatorLoad() async -> (running: Int, waiting: Int) {
        await simulatedOperator.load
    }

    /// Makes the simulated operator end the named application (in any namespace) this way.
    public func setOutcome(_ outcome: SimulatedOutcome, forApplicationNamed name: String) {
        outcomes.set([outcome], forApplicationNamed: name)
    }

    /// Makes the simulated operator end the named application's submission attempts these ways, one
    /// per attempt (the last repeats): `[.failed, .completed]` with `restartPolicy: OnFailure` fails
    /// once, reruns, and completes.
    public func setOutcomes(_ outcomes: [SimulatedOutcome], forApplicationNamed name: String) {
        self.outcomes.set(outcomes, forApplicationNamed: name)
    }

    // MARK: - Seeding and client configuration

    /// Stores (or replaces) a secret, as `kubectl create secret generic` would.
    public func putSecret(namespace: String, name: String, data: [String: Data]) {
        let encoded = data.mapValues { JSONValue.string($0.base64EncodedString()) }
        let secret: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name)], "type": "Opaque", "data": .object(JSONObject(encoded)),
        ]
        if (try? store.replace(.secrets, namespace: namespace, name: name, object: secret)) == nil {
            _ = try? store.create(.secrets, namespace: namespace, object: secret)
        }
    }

    /// The namespace `sparkClusterEntryYAML` names for applications (the walkthrough's).
    public static let walkthroughNamespace = "spark-operator"

    /// One `sparkClusters` entry of BPG's configuration file pointing at this cluster (the CA inline,
    /// the token as `plaintext:`), shaped like the AWS EMR-on-EKS walkthrough's; each line is indented
    /// by two spaces so the entries follow a `sparkClusters:` key. It contains the token.
    public func sparkClusterEntryYAML(id: String, weight: Int, sparkVersion: String, queues: [String]) -> String {
        let ca = Data(DevelopmentCertificates.certificateAuthorityPEM.utf8).base64EncodedString()
        return """
              - id: \(id)
                weight: \(weight)
                masterUrl: \(baseURL)
                caCertDataSOPS: \(ca)
                userTokenSOPS: plaintext:\(configuration.bearerToken ?? "")
                sparkApplicationNamespace: \(Self.walkthroughNamespace)
                sparkServiceAccount: emr-containers-sa-spark-operator
                sparkVersions: ['\(sparkVersion)']
                queues: [\(queues.joined(separator: ", "))]
                ttlSeconds: 86400
                timeoutMillis: 180000
                sparkConf:
                  spark.eventLog.enabled: 'false'
                  spark.kubernetes.allocation.batch.size: '2000'

            """
    }

    /// A kubeconfig for this cluster (the CA inline, the bearer token), for kubectl or a client.
    /// It contains the token: write it only to private files.
    public func kubeconfig(namespace: String = "default") -> String {
        let ca = Data(DevelopmentCertificates.certificateAuthorityPEM.utf8).base64EncodedString()
        var lines = [
            "apiVersion: v1", "kind: Config", "clusters:", "- name: simulator", "  cluster:", "    server: \(baseURL)",
        ]
        if configuration.useTLS { lines.append("    certificate-authority-data: \(ca)") }
        lines += ["users:", "- name: simulator", "  user:"]
        if let token = configuration.bearerToken { lines.append("    token: \(token)") } else { lines.append("    {}") }
        lines += [
            "contexts:", "- name: simulator", "  context:", "    cluster: simulator", "    user: simulator",
            "    namespace: \(namespace)", "current-context: simulator",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - HTTP adaptation

    static func respond(_ api: KubeAPI, to request: HTTPRequest) async -> HTTPResponse {
        let apiRequest = APIRequest(
            method: request.method.rawValue, path: request.path, query: request.query,
            headers: request.headers.map { (name: $0.name, value: $0.value) }, body: request.body)
        let response = await api.respond(to: apiRequest)
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(header.name, header.value) }
        switch response.body {
        case .data(let data):
            return HTTPResponse(status: response.status, headers: headers, body: .bytes(data))
        case .stream(let produce):
            return HTTPResponse(
                status: response.status, headers: headers,
                body: .stream { writer in try await produce { chunk in try await writer.write(chunk) } })
        }
    }
}
