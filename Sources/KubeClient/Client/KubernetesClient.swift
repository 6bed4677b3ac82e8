import Foundation
import JSON
import Logging

/// A client for one Kubernetes cluster's REST API over libcurl.
///
/// One client holds one connection pool (a libcurl multi handle driven by its own thread): calls
/// reuse connections and TLS sessions, use HTTP/2 when the server offers it, and never block Swift's
/// cooperative threads. Create one per cluster, share it, and call `shutdown()` when done.
///
/// ```swift
/// let client = try KubernetesClient(configuration: try .fromKubeconfig(kubeconfigVariable: env["KUBECONFIG"]))
/// let pod = try await client.get(Pod.self, .pods, namespace: "spark", name: "app-1-driver")
/// await client.shutdown()
/// ```
public final class KubernetesClient: Sendable {
    /// The cluster this client talks to (carried by every error).
    public let clusterID: String
    /// The namespace from the kubeconfig context or service account, if any.
    public let defaultNamespace: String?
    /// libcurl's connection pool, or an in-process exchange (`init(configuration:exchange:)`).
    let loop: any KubeTransport
    let credentials: CredentialProvider
    let logger: Logger
    let maxWatchLineBytes: Int

    /// Validates the configuration (an `https` server needs a CA) and starts the connection thread.
    public convenience init(configuration: KubeClientConfiguration) throws(KubeError) {
        let profile = try configuration.connectionProfile()
        let loop: CurlMultiLoop
        do {
            loop = try CurlMultiLoop(profile: profile)
        } catch {
            throw error.kubeError(clusterID: configuration.clusterID)
        }
        try self.init(configuration: configuration, transport: loop)
    }

    init(configuration: KubeClientConfiguration, transport: any KubeTransport) throws(KubeError) {
        loop = transport
        clusterID = configuration.clusterID
        defaultNamespace = configuration.defaultNamespace
        credentials = CredentialProvider(authentication: configuration.authentication, clusterID: configuration.clusterID)
        var logger = configuration.logger
        logger[metadataKey: "cluster"] = configuration.clusterID
        self.logger = logger
        maxWatchLineBytes = configuration.maxWatchLineBytes
        if configuration.tls.insecureSkipVerify {
            logger.warning("TLS certificate verification is disabled for this cluster (insecure-skip-tls-verify)")
        }
    }

    deinit {
        loop.requestStop()
    }

    /// Fails calls in flight with `.shutdown`, closes the connections and stops the client's thread.
    public func shutdown() async {
        await loop.shutdown()
    }

    /// How many connections this client has opened so far. With connection reuse (and HTTP/2
    /// multiplexing) this stays near one per cluster however many calls are made; a metric, and how
    /// tests tell reuse from one-handshake-per-call.
    public var connectionsOpened: Int { loop.openedConnections }

    // MARK: Exchanges

    /// Sends one request with credentials and returns the 2xx answer; maps anything else to `KubeError`.
    /// A 401 with refreshable credentials (token file, exec plugin) refreshes them and retries once.
    func send(
        _ method: String, _ path: String, query: QueryString = QueryString(), body: Data? = nil,
        contentType: String = "application/json"
    ) async throws(KubeError) -> TransportResponse {
        var refreshed = false
        while true {
            let request = try await makeRequest(method, path, query: query, body: body, contentType: contentType, streaming: false)
            let start = ContinuousClock.now
            let outcome = await loop.perform(request)
            switch outcome {
            case .failure(let failure):
                let error = failure.kubeError(clusterID: clusterID)
                logger.debug("\(method) \(path) failed", metadata: ["error": "\(error.code)"])
                throw error
            case .stream:
                preconditionFailure("a buffered request produced a stream")
            case .response(let response):
                logger.trace("\(method) \(path) -> \(response.status)", metadata: ["elapsed": "\(ContinuousClock.now - start)"])
                if (200..<300).contains(response.status) { return response }
                if response.status == 401 && credentials.canRefresh && !refreshed {
                    refreshed = true
                    await credentials.invalidate()
                    continue
                }
                throw KubeError.fromResponse(
                    clusterID: clusterID, httpStatus: response.status, headers: response.headers, body: response.body)
            }
        }
    }

    /// Opens a streamed GET (watch, followed log) and returns its body once a 2xx head arrived.
    func openStream(_ path: String, query: QueryString) async throws(KubeError) -> StreamBuffer {
        var refreshed = false
        while true {
            let request = try await makeRequest("GET", path, query: query, body: nil, contentType: nil, streaming: true)
            switch await loop.perform(request) {
            case .failure(let failure):
                throw failure.kubeError(clusterID: clusterID)
            case .stream(_, _, let body):
                return body
            case .response(let response):
                if response.status == 401 && credentials.canRefresh && !refreshed {
                    refreshed = true
                    await credentials.invalidate()
                    continue
                }
                throw KubeError.fromResponse(
                    clusterID: clusterID, httpStatus: response.status, headers: response.headers, body: response.body)
            }
        }
    }

    private func makeRequest(
        _ method: String, _ path: String, query: QueryString, body: Data?, contentType: String?, streaming: Bool
    ) async throws(KubeError) -> TransportRequest {
        let credentials: RequestCredentials
        if let fixed = self.credentials.fixed {
            credentials = fixed
        } else {
            credentials = try await self.credentials.current()
        }
        var request = TransportRequest(method: method, pathAndQuery: path + query.encoded, body: body, streaming: streaming)
        request.headers.append((name: "Accept", value: "application/json"))
        if body != nil, let contentType { request.headers.append((name: "Content-Type", value: contentType)) }
        if let authorization = credentials.authorization {
            request.headers.append((name: "Authorization", value: authorization))
        }
        request.clientCertificatePEM = credentials.clientCertificatePEM
        request.clientKeyPEM = credentials.clientKeyPEM
        return request
    }

    // MARK: JSON

    func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String) throws(KubeError) -> T {
        do {
            return try JSONValueDecoder().decode(type, from: data)
        } catch {
            throw KubeError(code: .decoding, clusterID: clusterID, message: "\(what): \(Self.describe(error))")
        }
    }

    func encode<T: Encodable>(_ value: T, what: String) throws(KubeError) -> Data {
        do {
            return Data(try JSONValueEncoder().encode(value))
        } catch {
            throw KubeError(code: .decoding, clusterID: clusterID, message: "cannot encode \(what): \(error)")
        }
    }

    /// A short decoding error naming the JSON path (never the document, which may hold secrets).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(type(of: error))" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "(root)" : path
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): missing \(type)"
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue): missing"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "invalid JSON"
        }
    }
}
