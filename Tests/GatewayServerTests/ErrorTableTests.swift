import Foundation
import GatewayCore
import KubeSimulator
import Persistence
import Testing

@testable import Gateway

/// Every row of BPG's submit errors (docs/bpg-compatibility.md, "Submit errors"), in process (live
/// where the row is about the wire: a body over the limit, clusters refusing connections): our status
/// and message, BPG's `{"code", "message"}` body, and no record left behind for a rejected request.
/// Rows where we differ from BPG say so.
@Suite struct ErrorTableTests {
    /// How a row's message is compared: some carry a parser's detail after a fixed prefix.
    enum Match: Sendable {
        case exact(String)
        case prefix(String)
        case contains(String)

        func accepts(_ message: String) -> Bool {
            switch self {
            case .exact(let text): message == text
            case .prefix(let text): message.hasPrefix(text)
            case .contains(let text): message.contains(text)
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var body: String
        var contentType = "application/json"
        var status = 400
        var message: Match
    }

    /// The walkthrough's SparkPi request with one change applied.
    static func sparkPi(_ change: (inout [String: Any]) -> Void = { _ in }) -> String {
        var object = (try? JSONSerialization.jsonObject(with: Data(DevEnvironment.sparkPiRequest.utf8))) as? [String: Any] ?? [:]
        change(&object)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func withSparkConf(_ conf: [String: String]) -> String {
        sparkPi { $0["sparkConf"] = conf }
    }

    static func withDriver(_ key: String, _ value: String) -> String {
        sparkPi { request in
            var driver = request["driver"] as? [String: Any] ?? [:]
            driver[key] = value
            request["driver"] = driver
        }
    }

    /// The walkthrough configuration plus a secure queue, a queue no cluster serves, and an executor cap.
    static func configure(_ configuration: inout GatewayConfiguration) {
        var secure = QueueConfiguration(name: "secure")
        secure.secure = true
        configuration.queues?.append(secure)
        configuration.queues?.append(QueueConfiguration(name: "orphan"))
        if let dev = configuration.queues?.firstIndex(where: { $0.name == "dev" }) {
            configuration.queues?[dev].maxExecutorInstances = 10
        }
        configuration.queueTokenSOPS = QueueTokenConfiguration(secrets: ["error-table-secret"])
    }

    static let rows: [Row] = [
        Row(
            testDescription: "YAML parse failure", body: "applicationName: [unclosed\nqueue: dev\n",
            contentType: "application/yaml", message: .prefix("Invalid YAML request: ")),
        Row(
            testDescription: "body is a file path", body: "/home/alice/sparkpi.json",
            message: .exact(
                "Invalid request body. It actually looks like a file path. If you're using curl, make sure you are passing the file content (not the file path) as the request body."
            )),
        Row(testDescription: "JSON syntax error", body: #"{"applicationName": "SparkPi", "#, message: .prefix("Invalid JSON request: ")),
        Row(
            testDescription: "unknown top-level field",
            body: sparkPi { $0["executorInstances"] = 3 },
            message: .contains(#"Unrecognized field "executorInstances""#)),
        Row(
            testDescription: "secure queue without queueToken", body: sparkPi { $0["queue"] = "secure" },
            message: .exact("Please specify queueToken for queue secure")),
        Row(
            testDescription: "unknown queue (BPG: 500)", body: sparkPi { $0["queue"] = "nosuchqueue" },
            message: .exact("queue: The queue nosuchqueue does not exist. Please check the queue name and try again.")),
        Row(
            testDescription: "executor.instances over the limit",
            body: sparkPi { $0["executor"] = ["instances": 11, "cores": 1, "memory": "2g"] },
            message: .exact("Executor instances in Spark config (11) exceeds limit (10)")),
        Row(
            testDescription: "spark.executor.instances not an int",
            body: withSparkConf(["spark.executor.instances": "many"]),
            message: .exact("Invalid value (many) for Spark config: (spark.executor.instances)")),
        Row(
            testDescription: "spark.executor.instances over the limit",
            body: withSparkConf(["spark.executor.instances": "12"]),
            message: .exact("Executor instances in Spark config (12) exceeds limit (10)")),
        Row(
            testDescription: "clusterId with no such cluster", body: sparkPi { $0["clusterId"] = "spark-cluster-z" },
            message: .exact("Cluster with id spark-cluster-z having Spark version 3.5.0 not found")),
        Row(
            testDescription: "clusterId without the version",
            body: sparkPi {
                $0["clusterId"] = "spark-cluster-a"
                $0["sparkVersion"] = "3.4.1"
            },
            message: .exact("Cluster with id spark-cluster-a having Spark version 3.4.1 not found")),
        Row(
            testDescription: "unsupported Spark version", body: sparkPi { $0["sparkVersion"] = "3.9" },
            message: .exact("Spark version not supported: 3.9")),
        Row(
            testDescription: "no cluster serves the queue", body: sparkPi { $0["queue"] = "orphan" },
            message: .exact("Cluster with queue orphan having Spark version 3.5.0 not found")),
        Row(
            testDescription: "coreLimit not a quantity", body: withDriver("coreLimit", "abc"),
            message: .exact(#"driver.coreLimit "abc" is not a valid CPU quantity (examples: 1, 1.5, 1200m)"#)),
        Row(
            testDescription: "memory without a unit (BPG: 500)", body: withDriver("memory", "2048"),
            message: .exact(#"driver.memory "2048" is not a valid memory size (use a unit, e.g. 512m, 2g, 2Gi)"#)),
        Row(
            testDescription: "memory not a size", body: withDriver("memory", "two gigs"),
            message: .exact(#"driver.memory "two gigs" is not a valid memory size (use a unit, e.g. 512m, 2g, 2Gi)"#)),
        Row(
            testDescription: "no image for the type", body: sparkPi { $0["type"] = "R" },
            message: .exact("Spark image not found for type: R, version: 3.5.0")),
        Row(
            testDescription: "bpg.maxRunningMillis not a long (BPG records first)",
            body: withSparkConf(["bpg.maxRunningMillis": "soon"]),
            message: .exact("Invalid value for config bpg.maxRunningMillis: soon")),
        Row(
            testDescription: "bpg.maxRunningMillis too large (BPG records first)",
            body: withSparkConf(["bpg.maxRunningMillis": "99999999999"]),
            message: .exact("maxRunningMillis 99999999999 is too large than allowed 21600000 for queue dev")),
        Row(
            testDescription: "content type neither JSON nor YAML (BPG parses it as JSON)", body: "<spark/>",
            contentType: "application/xml", status: 415,
            message: .exact(
                "Unsupported Content-Type 'application/xml': send JSON (application/json) or YAML (application/yaml)")),
    ]

    @Test(arguments: rows)
    func rejectedSubmission(row: Row) async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: Self.configure) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: row.body, headers: ["Content-Type": row.contentType])
            #expect(reply.status == row.status, "\(reply.text)")
            try expectErrorBody(reply, status: row.status, message: row.message)
            // Nothing recorded, nothing created.
            let page = try await gateway.gateway.store.listSubmissions(SubmissionQuery())
            #expect(page.records.isEmpty, "a rejected request left \(page.records.map(\.submissionId))")
            for id in DevEnvironment.clusterIds {
                #expect(try gateway.applicationCount(on: id) == 0)
            }
        }
    }

    /// BPG crashes on `"1200m"` with a NumberFormatException (500); it is a valid CPU quantity.
    @Test func coreLimitWithMillicoresIsAccepted() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: Self.withDriver("coreLimit", "1200m"))
            #expect(reply.status == 200, "\(reply.text)")
            let id = try #require(try reply.json()["submissionId"] as? String)
            let spec = try await gateway.send("GET", "/spark/\(id)/spec").json()
            #expect((spec["driver"] as? [String: Any])?["coreLimit"] as? String == "1200m")
        }
    }

    @Test func oversizeBodyIs413() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let padding = String(repeating: "x", count: (1 << 20) + 1)
            let reply = try await gateway.post("/spark", json: Self.sparkPi { $0["applicationName"] = padding })
            #expect(reply.status == 413)
            try expectErrorBody(reply, status: 413, message: .prefix("request body larger than"))
            #expect(try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records.isEmpty)
        }
    }

    @Test func unknownAndMalformedSubmissionIds() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let unknown = "spark-cluster-a-" + String(repeating: "0", count: 32)
            for endpoint in ["status", "spec", "driver", "describe"] {
                let reply = try await gateway.send("GET", "/spark/\(unknown)/\(endpoint)")
                #expect(reply.status == 404, "\(endpoint): \(reply.text)")
                try expectErrorBody(reply, status: 404, message: .exact("HTTP 404 Not Found"))
            }
            for endpoint in ["status", "spec", "driver", "describe"] {
                let reply = try await gateway.send("GET", "/spark/nodash/\(endpoint)")
                #expect(reply.status == 400, "\(endpoint): \(reply.text)")
                try expectErrorBody(reply, status: 400, message: .exact("submissionId nodash is invalid"))
            }
            let otherCluster = try await gateway.send("GET", "/spark/mars-0123/status")
            try expectErrorBody(otherCluster, status: 400, message: .exact("Cluster mars (in submissionId: mars-0123) not exists"))
            let delete = try await gateway.send("DELETE", "/spark/nodash")
            try expectErrorBody(delete, status: 400, message: .exact("submissionId nodash is invalid"))
        }
    }

    @Test func wrongMethodIs405() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.send("PUT", "/spark")
            #expect(reply.status == 405)
            #expect(reply.headers["allow"]?.contains("POST") == true)
            try expectErrorBody(reply, status: 405, message: .prefix("method PUT not allowed"))
            let getSubmit = try await gateway.send("GET", "/spark")
            #expect(getSubmit.status == 405)
        }
    }

    @Test func missingCredentialsAre401WithChallenge() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest, user: nil)
            #expect(reply.status == 401)
            #expect(reply.headers["www-authenticate"] == "Basic realm=\"bpg\"")
            try expectErrorBody(reply, status: 401, message: .exact("HTTP 401 Unauthorized."))
            #expect(try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records.isEmpty)
        }
    }

    /// BPG has no failover: a down cluster fails the request with a 500. We answer 503 with
    /// `Retry-After`, and the attempt's record keeps the error.
    @Test(arguments: StoreKind.allCases)
    func everyClusterDownIs503AndRecordsTheFailure(store: StoreKind) async throws {
        try await withGateway(transport: .live, store: store, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            for id in DevEnvironment.clusterIds { await gateway.cluster(id).stopAnswering() }
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == 503, "\(reply.text)")
            #expect(reply.headers["retry-after"] == "5")
            try expectErrorBody(reply, status: 503, message: .prefix("No Spark cluster could accept the submission right now"))
            let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record.status == "SUBMISSION_FAILED")
            #expect(record.errorMessage?.isEmpty == false)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func clusterRejectingTheCreateIs503AndRecorded(store: StoreKind) async throws {
        try await withGateway(store: store, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            for id in DevEnvironment.clusterIds { gateway.cluster(id).failNextCreates(1, status: 500) }
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            #expect(reply.status == 503, "\(reply.text)")
            try expectErrorBody(reply, status: 503, message: .prefix("No Spark cluster could accept the submission right now"))
            let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records
            let record = try #require(records.first)
            #expect(records.count == 1)
            // A 500 may hide a create that was stored: the attempt is fenced, not failed.
            #expect(record.status == SubmissionState.fenced)
            #expect(record.errorMessage?.contains("HTTP 500") == true)
            // The status endpoint reports the failed attempt instead of a 404.
            let status = try await gateway.send("GET", "/spark/\(record.submissionId)/status")
            #expect(status.status == 200, "\(status.text)")
            #expect(try status.json()["applicationState"] as? String == "SUBMISSION_FAILED")
        }
    }

    @Test func failoverWithTwoAttemptsSucceedsOnTheOtherCluster() async throws {
        try await withGateway(
            transport: .live, timings: .uniform(.milliseconds(50)), configure: { $0.gateway.routing.maxAttempts = 2 }
        ) { (gateway: GatewayHarness) async throws in
            await gateway.cluster("spark-cluster-b").stopAnswering()
            for _ in 0..<10 {
                let id = try await gateway.submit()
                #expect(id.hasPrefix("spark-cluster-a-"))
            }
            let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records
            #expect(records.filter { $0.status != "SUBMISSION_FAILED" }.count == 10)
            #expect(records.filter { $0.status == "SUBMISSION_FAILED" }.allSatisfy { $0.clusterId == "spark-cluster-b" })
        }
    }

    /// A non-retriable answer (here 422) is passed on with its status, and not retried elsewhere even
    /// with `maxAttempts` 2 (BPG answers 500 for every Kubernetes failure).
    @Test func nonRetriableRejectionIsPassedOn() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)), configure: { $0.gateway.routing.maxAttempts = 2 }
        ) { (gateway: GatewayHarness) async throws in
            for id in DevEnvironment.clusterIds { gateway.cluster(id).failNextCreates(1, status: 422) }
            let reply = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest)
            try expectErrorBody(reply, status: 422, message: .contains("rejected the SparkApplication"))
            let records = try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records
            #expect(records.count == 1)
            #expect(records.first?.status == "SUBMISSION_FAILED")
        }
    }

    /// `Idempotency-Key` (not in BPG): a retried POST returns the first id; reusing the key for a
    /// different body is a 409.
    @Test(arguments: StoreKind.allCases)
    func idempotencyKey(store: StoreKind) async throws {
        try await withGateway(store: store, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let key = ["Idempotency-Key": "nightly-2026-11-25"]
            let first = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest, headers: key)
            let again = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest, headers: key)
            let id = try #require(try first.json()["submissionId"] as? String)
            #expect(try again.json()["submissionId"] as? String == id)
            let conflict = try await gateway.post("/spark", json: Self.sparkPi { $0["arguments"] = ["5"] }, headers: key)
            try expectErrorBody(
                conflict, status: 409,
                message: .exact("Idempotency-Key nightly-2026-11-25 was already used by this user for a different request"))
            // Keys are per user.
            let bob = try await gateway.post("/spark", json: DevEnvironment.sparkPiRequest, user: "bob", headers: key)
            #expect(try bob.json()["submissionId"] as? String != id)
            #expect(try await gateway.gateway.store.listSubmissions(SubmissionQuery()).records.count == 2)
        }
    }

    @Test func logParameterErrors() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            try expectErrorBody(
                try await gateway.send("GET", "/log"), status: 400,
                message: .exact("Error: Please provide either a submissionId or an appId."))
            try expectErrorBody(
                try await gateway.send("GET", "/log?subId=short"), status: 400,
                message: .exact("Invalid submissionId short or appId  : Should be at least 32 characters."))
            let appId = "spark-" + String(repeating: "f", count: 32)
            try expectErrorBody(
                try await gateway.send("GET", "/log?appId=\(appId)"), status: 400,
                message: .exact("Could not find submissionId from the appId \(appId)."))
            // BPG's "not found" for logs is a 200 with a hint.
            let unknown = try await gateway.send("GET", "/log?subId=spark-cluster-a-" + String(repeating: "0", count: 32))
            #expect(unknown.status == 200)
            #expect(unknown.text == GatewayRoutes.noLogMessage)
        }
    }

    /// BPG's token bucket on the listing: at most 20 a second (plus the initial burst of 20).
    @Test func mySubmissionsRateLimit() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let started = ContinuousClock.now
            let replies = try await withThrowingTaskGroup(of: [Reply].self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        var replies: [Reply] = []
                        for _ in 0..<6 { replies.append(try await gateway.send("GET", "/spark/mySubmissions")) }
                        return replies
                    }
                }
                var all: [Reply] = []
                for try await batch in group { all += batch }
                return all
            }
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let allowed = replies.filter { $0.status == 200 }
            let limited = replies.filter { $0.status == 429 }
            #expect(allowed.count + limited.count == 60)
            #expect(allowed.count >= 20)
            #expect(Double(allowed.count) <= 21 + 20 * seconds, "\(allowed.count) allowed in \(elapsed)")
            for reply in limited.prefix(1) {
                try expectErrorBody(
                    reply, status: 429,
                    message: .exact("Too many requests for mySubmissions endpoint (limit: 20 requests per second)"))
            }
        }
    }

    /// Reads from an unreachable cluster are 503 naming it; the other cluster's submissions and the
    /// gateway itself are unaffected, and reads recover when the cluster answers again.
    @Test func readsFromAnUnreachableCluster() async throws {
        try await withGateway(transport: .live, timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let onA = try await gateway.submit(Self.sparkPi { $0["clusterId"] = "spark-cluster-a" })
            let onB = try await gateway.submit(Self.sparkPi { $0["clusterId"] = "spark-cluster-b" })
            try await gateway.waitForState(onA, "COMPLETED")
            try await waitUntil { gateway.gateway.monitors?.monitors.allSatisfy(\.recordsAreMonitored) ?? false }
            _ = try await waitForRecord(gateway, onA) { $0.startTime != nil }
            let clusterA = gateway.cluster("spark-cluster-a")
            await clusterA.stopAnswering()
            for endpoint in ["spec", "describe"] {
                let reply = try await gateway.send("GET", "/spark/\(onA)/\(endpoint)")
                try expectErrorBody(reply, status: 503, message: .prefix("Spark cluster spark-cluster-a could not answer"))
            }
            // Driver info and listings come from the monitor-fed records: the cluster is not asked.
            let driver = try await gateway.send("GET", "/spark/\(onA)/driver")
            #expect(driver.status == 200)
            #expect(try driver.json()["podName"] as? String == "\(onA)-driver")
            let listing = try await gateway.send("GET", "/spark/mySubmissions")
            #expect(listing.status == 200)
            #expect(try listing.decode(GetMySubmissionsResponse.self).submissions.contains { $0.submissionId == onA })
            #expect(try await gateway.send("GET", "/spark/\(onB)/spec").status == 200)
            try clusterA.resumeAnswering()
            #expect(try await gateway.send("GET", "/spark/\(onA)/spec").status == 200)
            try await gateway.waitForState(onA, "COMPLETED")
        }
    }
}

/// Checks BPG's error body: `{"code": <status as a number>, "message": "..."}`.
func expectErrorBody(
    _ reply: Reply, status: Int, message: ErrorTableTests.Match, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
    #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
    let body = try reply.json()
    #expect(body["code"] as? Int == status, "\(reply.text)", sourceLocation: sourceLocation)
    let text = body["message"] as? String ?? ""
    #expect(message.accepts(text), "message was: \(text)", sourceLocation: sourceLocation)
}

extension GatewayHarness {
    /// How many SparkApplications the simulated cluster holds.
    func applicationCount(on clusterId: String) throws -> Int {
        try cluster(clusterId).store.list(.sparkApplications, filter: ObjectFilter()).items.count
    }
}
