import Foundation
import GatewayCore
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// Live: a BPG configuration with no `gateway:` section, two clusters, one of them broken in the ways
/// a cluster behind a load balancer breaks. With the defaults (health tracking, skipping down
/// clusters, three candidates) no submission fails and no application runs twice.
@Suite(.serialized) struct SafeDefaultsFailoverTests {
    static let namespace = "spark-operator"
    static let submissions = 12

    /// How cluster A is broken.
    enum Fault: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// Nothing listens: every connection is refused before anything is sent.
        case refusesConnections
        /// A load balancer accepts each connection, reads the request and closes without an answer;
        /// nothing reaches the API server.
        case closesWithoutAnswer
        /// A load balancer forwards each create to the API server (which stores it) and closes the
        /// client's connection before the answer comes back.
        case dropsCreateAnswers
        /// As `dropsCreateAnswers`, but for one create at a time: on a kept-alive connection libcurl
        /// sends the create again by itself, and the API server answers the copy 409 AlreadyExists.
        case dropsOneCreateAnswer
        /// The API server answers every create 500.
        case answers500
        var testDescription: String { rawValue }
    }

    /// Two plain-HTTP simulated clusters (a load balancer between the gateway and A), a configuration
    /// file as a BPG user writes it, and a live gateway with the defaults.
    struct Setup {
        let clusters: [SimulatedCluster]
        let balancer: FaultyLoadBalancer
        let gateway: GatewayApplication
        var baseURL: String { "http://127.0.0.1:\(gateway.port)/skatev2" }

        static func start(_ fault: Fault, optOut: Bool = false) async throws -> Setup {
            var clusters: [SimulatedCluster] = []
            for _ in 0..<2 {
                var configuration = SimulatedClusterConfiguration()
                configuration.useTLS = false
                configuration.bearerToken = "token-\(UUID().uuidString.lowercased())"
                configuration.operatorTimings = .uniform(.seconds(3600))  // applications stay put
                let cluster = SimulatedCluster(configuration: configuration)
                try cluster.start()
                clusters.append(cluster)
            }
            let balancer = try FaultyLoadBalancer(upstreamPort: clusters[0].port)
            let masterA: String
            switch fault {
            case .refusesConnections: masterA = "http://127.0.0.1:\(try refusedLoopbackPort())"
            case .closesWithoutAnswer:
                balancer.setMode(.closeWithoutAnswer)
                masterA = "http://127.0.0.1:\(balancer.port)"
            case .dropsCreateAnswers:
                balancer.setMode(.dropAnswers(to: Self.createPrefix, count: Int.max))
                masterA = "http://127.0.0.1:\(balancer.port)"
            case .dropsOneCreateAnswer:
                masterA = "http://127.0.0.1:\(balancer.port)"
            case .answers500:
                clusters[0].failNextCreates(1000, status: 500)
                masterA = clusters[0].baseURL
            }
            var text = """
                allowedUsers: ['*']
                sparkImages:
                  - name: apache/spark:3.5.0
                    types: [Java, Scala]
                    version: '3.5.0'
                queues:
                  - name: dev
                sparkClusters:

                """
            text += clusters[0].sparkClusterEntryYAML(id: "a", weight: 50, sparkVersion: "3.5.0", queues: ["dev"])
                .replacingOccurrences(of: "masterUrl: \(clusters[0].baseURL)", with: "masterUrl: \(masterA)")
                .replacingOccurrences(of: "timeoutMillis: 180000", with: "timeoutMillis: 3000")
            text += clusters[1].sparkClusterEntryYAML(id: "b", weight: 50, sparkVersion: "3.5.0", queues: ["dev"])
            if optOut {
                // The documented way back to BPG's behaviour.
                text += "gateway:\n  health:\n    enabled: false\n  routing:\n    maxAttempts: 1\n"
            }
            let loaded = try ConfigurationLoader.load(data: Data(text.utf8), name: "bpg.yaml")
            if !optOut {
                #expect(loaded.configuration.gateway == GatewaySettings(), "no gateway: section, only defaults")
            }

            var options = GatewayApplication.Options(configuration: loaded.configuration)
            options.host = "127.0.0.1"
            options.port = 0
            options.shutdownGracePeriod = .seconds(2)
            do {
                options.store = try await StoreKind.sqlite.open()
                let gateway = try await GatewayApplication.start(options)
                return Setup(clusters: clusters, balancer: balancer, gateway: gateway)
            } catch {
                await options.store?.shutdown()
                balancer.stop()
                for cluster in clusters { await cluster.shutdown() }
                throw error
            }
        }

        static let createPrefix = "POST /apis/sparkoperator.k8s.io/"

        func shutdown() async {
            await gateway.shutdown()
            balancer.stop()
            for cluster in clusters { await cluster.shutdown() }
        }

        func names(on cluster: SimulatedCluster) -> [String] {
            let page = try? cluster.store.list(.sparkApplications, filter: ObjectFilter(namespace: namespace))
            return (page?.items ?? []).compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        }
    }

    @Test(arguments: Fault.allCases)
    func noSubmissionFailsAndNoneRunsTwice(_ fault: Fault) async throws {
        let setup = try await Setup.start(fault)
        do {
            let (ids, failures) = try await Self.submitAll(setup) {
                if fault == .dropsOneCreateAnswer { setup.balancer.setMode(.dropAnswers(to: Setup.createPrefix, count: 1)) }
            }
            #expect(failures.isEmpty, "\(fault): \(failures)")
            #expect(ids.count == Self.submissions)

            // Every returned id runs exactly once, and nothing else runs: an attempt of unknown outcome
            // on A is either confirmed (its id returned) or fenced before the job went to B.
            let onA = setup.names(on: setup.clusters[0])
            let onB = setup.names(on: setup.clusters[1])
            let live = onA + onB
            #expect(Set(live) == Set(ids), "\(fault): live \(live.sorted()) vs returned \(ids.sorted())")
            #expect(live.count == Set(live).count)
            switch fault {
            case .dropsCreateAnswers, .dropsOneCreateAnswer:
                // The answers were lost but the creates landed: read back and counted as created.
                #expect(setup.balancer.droppedAnswers >= 1)
                #expect(onA.count >= 1, "creates on A were confirmed, not repeated on B")
            case .refusesConnections, .closesWithoutAnswer, .answers500:
                #expect(onA.isEmpty)
            }
            let records = try await setup.gateway.store.listSubmissions(SubmissionQuery(limit: 1000)).records
            for record in records where !ids.contains(record.submissionId) {
                // Attempts that did not become the submission: failed before sending, or fenced.
                #expect(
                    [SubmissionState.fenced, SubmissionState.submissionFailed].contains(record.status ?? ""),
                    "\(record.submissionId) is \(record.status ?? "-")")
                if fault == .closesWithoutAnswer || fault == .answers500 {
                    #expect(record.status == SubmissionState.fenced, "an unknown outcome is fenced, not failed")
                }
            }
        } catch {
            await setup.shutdown()
            throw error
        }
        await setup.shutdown()
    }

    /// The control: with the opt-out keys the gateway behaves like BPG, and a cluster that refuses
    /// connections fails the submissions routed to it.
    @Test func optingOutRestoresBPGsSingleAttempt() async throws {
        let setup = try await Setup.start(.refusesConnections, optOut: true)
        do {
            let (ids, failures) = try await Self.submitAll(setup)
            #expect(!failures.isEmpty, "about half of \(Self.submissions) go to the refusing cluster")
            #expect(failures.allSatisfy { $0.hasPrefix("503") }, "\(failures)")
            #expect(ids.count + failures.count == Self.submissions)
        } catch {
            await setup.shutdown()
            throw error
        }
        await setup.shutdown()
    }

    /// Submits SparkPi `submissions` times; the ids returned and the failures (status: body).
    static func submitAll(_ setup: Setup, before: () -> Void = {}) async throws -> (ids: [String], failures: [String]) {
        var ids: [String] = []
        var failures: [String] = []
        for _ in 0..<submissions {
            before()
            let response = try await fetch(
                "POST", setup.baseURL + "/spark", headers: ["User-Account: alice", "Content-Type: application/json"],
                body: Data(DevEnvironment.sparkPiRequest.utf8))
            if response.status == 200,
                let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                let id = object["submissionId"] as? String
            {
                ids.append(id)
            } else {
                failures.append("\(response.status): \(String(decoding: response.body, as: UTF8.self))")
            }
        }
        return (ids, failures)
    }
}
