import Foundation
import KubeClient
import TestSupport
import Testing

/// Live (real sockets): how a create that never got an answer is classified. What decides failover
/// safety is whether the request can have reached the server: a refused connection proves nothing was
/// created; an empty reply or a reset after the request was sent leaves the outcome unknown.
struct TransportFailureClassificationTests {
    static func client(port: Int) throws -> KubernetesClient {
        var configuration = KubeClientConfiguration(clusterID: "lb", server: "http://127.0.0.1:\(port)", authentication: .none)
        configuration.connectTimeout = .seconds(2)
        configuration.requestTimeout = .seconds(5)
        return try KubernetesClient(configuration: configuration)
    }

    static let application = Data(#"{"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication","metadata":{"name":"x"}}"#.utf8)

    static func createError(port: Int) async throws -> KubeError {
        let client = try client(port: port)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.create(json: application, in: .sparkApplications, namespace: "spark")
        } catch {
            return error
        }
        throw ExpectedFailure()
    }

    struct ExpectedFailure: Error {}

    @Test func aRefusedConnectionIsKnownNotToHaveCreatedAnything() async throws {
        let error = try await Self.createError(port: try refusedLoopbackPort())
        #expect(error.code == .connectionRefused)
        #expect(error.isRetriable)
        #expect(!error.outcomeIsUnknown)
    }

    @Test func anEmptyReplyAfterTheRequestWasSentIsAnUnknownOutcome() async throws {
        let balancer = try FaultyLoadBalancer(upstreamPort: nil, mode: .closeWithoutAnswer)
        defer { balancer.stop() }
        let error = try await Self.createError(port: balancer.port)
        #expect(error.code == .emptyReply, "\(error)")
        #expect(error.isRetriable)
        #expect(error.outcomeIsUnknown)
        #expect(error.isTransportFailure)
        #expect("\(error.code)" == "emptyReply")
        #expect(balancer.refusedRequests >= 1, "the request reached the balancer before it closed")
    }

    @Test func aResetAfterTheRequestWasSentIsAnUnknownOutcome() async throws {
        let balancer = try FaultyLoadBalancer(upstreamPort: nil, mode: .reset)
        defer { balancer.stop() }
        let error = try await Self.createError(port: balancer.port)
        #expect(error.code == .transport || error.code == .emptyReply, "\(error)")
        #expect(error.isRetriable)
        #expect(error.outcomeIsUnknown)
    }
}
