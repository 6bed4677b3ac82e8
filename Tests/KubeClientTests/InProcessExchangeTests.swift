import Foundation
import Gateway
import HTTPServing
import KubeClient
import KubeSimulator
import Testing

/// `KubernetesClient(configuration:exchange:)` against the simulator's own responder, without a
/// socket: the same error mapping, informer, timeout and shutdown as over libcurl.
struct InProcessExchangeTests {
    let namespace = LiveCluster.namespace

    /// How long a first list may take: in a full parallel run on a loaded two-core machine, the
    /// cooperative pool that runs the whole in-process exchange has been seen busy for over 10 s.
    static let patience: Duration = .seconds(30)

    static func start(
        token: String? = "simulator-token", requestTimeout: Duration = .seconds(10),
        simulator: (inout SimulatedClusterConfiguration) -> Void = { _ in }
    ) async throws -> (SimulatedCluster, KubernetesClient) {
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = .uniform(.seconds(3600))
        simulator(&configuration)
        let cluster = SimulatedCluster(configuration: configuration)
        await cluster.startInProcess()
        var client = KubeClientConfiguration(
            clusterID: "sim", server: "https://in-process.invalid",
            tls: .init(certificateAuthority: .pem(Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8))),
            authentication: token.map { .bearerToken($0) } ?? .none)
        client.requestTimeout = requestTimeout
        return (cluster, try KubernetesClient(configuration: client, exchange: cluster.exchange))
    }

    @Test func failuresMapToTheSameErrorsAsOverTheWire() async throws {
        let (cluster, client) = try await Self.start()
        do {
            _ = try await client.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "missing")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.httpStatus == 404)
            #expect(error.status?.reason == "NotFound", "the simulator's Status body is decoded")
        }
        _ = try await client.create(SparkApplication.sparkPi("twice"), in: .sparkApplications, namespace: namespace)
        do {
            _ = try await client.create(SparkApplication.sparkPi("twice"), in: .sparkApplications, namespace: namespace)
            Issue.record("a second create of the same name succeeded")
        } catch {
            #expect(error.code == .alreadyExists)
            #expect(error.httpStatus == 409)
        }
        cluster.failNextCreates(1, status: 429)
        do {
            _ = try await client.create(SparkApplication.sparkPi("throttled"), in: .sparkApplications, namespace: namespace)
            Issue.record("an injected 429 succeeded")
        } catch {
            #expect(error.code == .tooManyRequests)
            #expect(error.retryAfter == .seconds(1))
        }

        let (other, stranger) = try await Self.start(token: "wrong")
        do {
            _ = try await stranger.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "twice")
            Issue.record("a wrong token was accepted")
        } catch {
            #expect(error.code == .unauthorized, "the bearer token is sent and checked")
        }
        await stranger.shutdown()
        await other.shutdown()
        await client.shutdown()
        await cluster.shutdown()
    }

    @Test func watchesResyncThenDeliverChanges() async throws {
        let (cluster, client) = try await Self.start(simulator: { $0.operatorTimings = .uniform(.milliseconds(50)) })
        try cluster.seedApplication(namespace: namespace, name: "a")
        let collector = LiveWatchTests.Collector(client.watch(SparkApplication.self, .sparkApplications, namespace: namespace))
        try await collector.waitFor("resynced:[a]", timeout: Self.patience)
        _ = try await client.create(SparkApplication.sparkPi("c"), in: .sparkApplications, namespace: namespace)
        try await collector.waitFor("added:c")
        try await collector.waitFor("modified:c")
        try await client.delete(.sparkApplications, namespace: namespace, name: "c")
        try await collector.waitFor("deleted:c")
        await collector.cancel()
        #expect(collector.events.last == "end")
        try await eventually("the cancelled watch's producer stopped (the operator holds the other watch)") {
            cluster.store.watcherCount <= 1
        }
        await client.shutdown()
        await cluster.shutdown()
    }

    /// As over a network, a create slower than the request timeout fails with `.timeout` while the
    /// server goes on and stores it: the unknown outcome the gateway has to settle.
    @Test func aSlowAnswerTimesOutWhileTheServerGoesOn() async throws {
        let (cluster, client) = try await Self.start(requestTimeout: .milliseconds(200))
        cluster.delayNextCreates(1, by: .seconds(5))
        do {
            _ = try await client.create(SparkApplication.sparkPi("slow"), in: .sparkApplications, namespace: namespace)
            Issue.record("the slow create did not time out")
        } catch {
            // The server's own answer would be a 504 (`.serverError`): `.timeout` means the client
            // gave up first. (No bound on the elapsed time: a loaded machine may take seconds to
            // schedule the timer, which is no fault of the client.)
            #expect(error.code == .timeout)
            #expect(error.outcomeIsUnknown)
        }
        try await eventually(timeout: .seconds(20), "the create stored after the client gave up") {
            (try? await client.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "slow")) != nil
        }
        await client.shutdown()
        await cluster.shutdown()
    }

    @Test func shutdownFailsWhatIsInFlightAndEndsWatches() async throws {
        let (cluster, client) = try await Self.start()
        cluster.delayNextCreates(1, by: .seconds(30))
        let create = Task {
            _ = try await client.create(SparkApplication.sparkPi("held"), in: .sparkApplications, namespace: namespace)
        }
        let collector = LiveWatchTests.Collector(client.watch(SparkApplication.self, .sparkApplications, namespace: namespace))
        try await collector.waitFor("resynced:[]", timeout: Self.patience)
        let start = ContinuousClock.now
        await client.shutdown()
        switch await create.result {
        case .success: Issue.record("the held create succeeded")
        case .failure(let error): #expect((error as? KubeError)?.code == .shutdown, "\(error)")
        }
        try await collector.waitFor("end")
        #expect(ContinuousClock.now - start < .seconds(5))
        await cluster.shutdown()
    }
}
