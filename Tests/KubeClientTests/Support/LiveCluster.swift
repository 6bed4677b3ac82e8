import Foundation
import KubeClient
import KubeSimulator

/// A simulated cluster over HTTPS on a free loopback port, and a `KubeClient` pointed at it.
struct LiveCluster {
    let cluster: SimulatedCluster
    let client: KubernetesClient

    static let namespace = "spark"

    static func start(
        simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in },
        client: (inout KubeClientConfiguration) -> Void = { _ in }
    ) async throws -> LiveCluster {
        var simulatorConfiguration = SimulatedClusterConfiguration()
        simulatorConfiguration.operatorTimings = .uniform(.seconds(3600))  // the operator stays out of the way unless a test asks
        simulator(&simulatorConfiguration)
        let cluster = SimulatedCluster(configuration: simulatorConfiguration)
        try cluster.start()
        var configuration = clientConfiguration(for: cluster)
        client(&configuration)
        do {
            return LiveCluster(cluster: cluster, client: try KubernetesClient(configuration: configuration))
        } catch {
            await cluster.shutdown()
            throw error
        }
    }

    static func clientConfiguration(for cluster: SimulatedCluster, token: String? = "simulator-token") -> KubeClientConfiguration {
        var configuration = KubeClientConfiguration(
            clusterID: "sim", server: cluster.baseURL,
            tls: .init(certificateAuthority: .pem(Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8))),
            authentication: token.map { .bearerToken($0) } ?? .none)
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(10)
        return configuration
    }

    func stop() async {
        await client.shutdown()
        await cluster.shutdown()
    }
}

/// Waits (polling) until `condition` holds, or fails after `timeout`.
func eventually(
    timeout: Duration = .seconds(10), _ what: String, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw TimedOut(what: what)
}

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
