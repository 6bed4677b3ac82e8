import Foundation
import GatewayCore
import HTTPServing
import KubeClient
import KubeSimulator
import Logging

extension SimulatedCluster {
    /// The simulator's API server as a ``KubeExchange``: each request goes to its ``responder``
    /// without a socket, and the answer (Status bodies, watch streams as the simulator writes them)
    /// comes back as it would over HTTP.
    public var exchange: KubeExchange {
        let responder = self.responder
        return { request in
            var headers = HTTPHeaders()
            for header in request.headers { headers.add(header.name, header.value) }
            guard let httpRequest = HTTPRequest(
                method: HTTPMethod(rawValue: request.method), target: request.pathAndQuery, headers: headers,
                body: request.body ?? Data())
            else {
                return KubeExchangeResponse(status: 400, body: .bytes(Data("invalid request target".utf8)))
            }
            let response = await responder.respond(to: httpRequest)
            let fields = response.headers.map { (name: $0.name, value: $0.value) }
            switch response.body {
            case .bytes(let data):
                return KubeExchangeResponse(status: response.status, headers: fields, body: .bytes(data))
            case .stream(let produce):
                return KubeExchangeResponse(
                    status: response.status, headers: fields, body: .stream { write in try await produce(HTTPBodyWriter(write)) })
            }
        }
    }

    /// A client for the configured cluster `cluster` that reaches this simulated cluster in process.
    ///
    /// It is the gateway's own `KubernetesClient` built from the same settings as a connected one
    /// (token, `timeoutMillis`, namespace), so credentials are checked, failures map to the same
    /// `KubeError`s and watches run through the same informer; only the socket is gone. Pass it to
    /// `GatewayService.Options.clusterClients` under `cluster.id`:
    ///
    /// ```swift
    /// let cluster = SimulatedCluster(configuration: SimulatedClusterConfiguration())
    /// await cluster.startInProcess()
    /// options.clusterClients["spark-a"] = try await cluster.inProcessClient(for: configuration.sparkClusters[0])
    /// ```
    public func inProcessClient(
        for cluster: SparkClusterConfiguration, environment: [String: String] = [:], logger: Logger = .disabled
    ) async throws -> KubernetesClient {
        let resolver = SecretValueResolver(environment: environment, localCluster: nil, localNamespace: nil)
        let configuration = try await ClusterDirectory.clientConfiguration(for: cluster, resolver: resolver, logger: logger)
        return try KubernetesClient(configuration: configuration, exchange: exchange)
    }
}
