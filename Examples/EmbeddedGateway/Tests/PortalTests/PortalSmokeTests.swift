import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import GatewayCore
import Portal
import Testing

/// The portal in process against simulated clusters: one real HTTP server on a free port, real
/// HTTPS clients to the clusters, no sleeps. Each test starts its own clusters and portal.
struct PortalSmokeTests {
    static let token = "test-token"

    func withPortal(_ body: (Portal, DemoClusters) async throws -> Void) async throws {
        let clusters = try await DemoClusters.start()
        var options = Portal.Options(
            configuration: clusters.configuration, costRates: DemoClusters.costRates,
            users: [Self.token: AuthenticatedUser(name: "alice")])
        options.port = 0
        let portal: Portal
        do {
            portal = try await Portal.start(options)
        } catch {
            await clusters.shutdown()
            throw error
        }
        do {
            try await body(portal, clusters)
        } catch {
            await portal.shutdown()
            await clusters.shutdown()
            throw error
        }
        await portal.shutdown()
        await clusters.shutdown()
    }

    /// URLSession, only for answers that are not 401 (on Linux it waits forever on a Basic challenge).
    func send(_ method: String, _ url: String, body: String? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(Self.token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    func submissionId(_ body: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["submissionId"] as? String
    }

    @Test func servesItsOwnRouteAndTheGatewayUnderThePrefix() async throws {
        try await withPortal { portal, _ in
            let root = "http://127.0.0.1:\(portal.port)"
            let hello = try await send("GET", root + "/hello")
            #expect(hello.status == 200)
            #expect(hello.body.contains("hello from the portal"))

            // The cheapest cluster serving `dev` is `spot` (`reserved` is cheaper but drained).
            let dev = try await send("POST", root + "/spark-gateway/skatev2/spark", body: DemoClusters.sparkPiRequest(queue: "dev"))
            #expect(dev.status == 200, "\(dev.body)")
            let devId = try #require(submissionId(dev.body))
            #expect(devId.hasPrefix("spot-"))
            let status = try await send("GET", root + "/spark-gateway/skatev2/spark/\(devId)/status")
            #expect(status.status == 200, "\(status.body)")

            // `spot` does not serve `poc`: the next cheapest that does.
            let poc = try await send("POST", root + "/spark-gateway/skatev2/spark", body: DemoClusters.sparkPiRequest(queue: "poc"))
            #expect(try #require(submissionId(poc.body)).hasPrefix("on-demand-"), "\(poc.body)")

            // BPG's paths exist only under the prefix.
            let unprefixed = try await send("GET", root + "/skatev2/spark/\(devId)/status")
            #expect(unprefixed.status == 404)
        }
    }

    @Test func submitsDirectlyAndReportsGatewayErrors() async throws {
        try await withPortal { portal, clusters in
            let request = try JSONDecoder().decode(
                SubmitApplicationRequest.self, from: Data(DemoClusters.sparkPiRequest(queue: "dev").utf8))
            let submission = SubmissionService.Submission(request: request, user: AuthenticatedUser(name: "alice"))
            #expect(try await portal.gateway.submissions.submit(submission).hasPrefix("spot-"))

            // The cheapest cluster refuses for now (429, retriable): the job fails over to the next.
            clusters.clusters["spot"]?.failNextCreates(1, status: 429)
            #expect(try await portal.gateway.submissions.submit(submission).hasPrefix("on-demand-"))

            // Every candidate refuses: nothing runs, and the error says to retry later.
            clusters.clusters["spot"]?.failNextCreates(1, status: 429)
            clusters.clusters["on-demand"]?.failNextCreates(1, status: 429)
            do {
                _ = try await portal.gateway.submissions.submit(submission)
                Issue.record("expected a GatewayError")
            } catch let error as GatewayError {
                #expect(error.code == .unavailable)
                #expect(error.retryAfterSeconds != nil)
            }

            // A user mistake is Core's SubmissionError, raised before anything is recorded or created.
            var unsupported = submission
            unsupported.request.sparkVersion = "2.4.0"
            do {
                _ = try await portal.gateway.submissions.submit(unsupported)
                Issue.record("expected a SubmissionError")
            } catch let error as SubmissionError {
                #expect(error.reason == "no_cluster")
                #expect(error.status == 400)
            }
        }
    }
}
