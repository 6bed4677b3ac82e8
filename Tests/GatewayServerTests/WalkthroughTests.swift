import Foundation
import GatewayCore
import Testing

@testable import Gateway
@testable import GatewayServer

/// BPG's AWS EMR-on-EKS walkthrough, end to end: two clusters whose ids contain `-`, queue `dev`,
/// weights 50/50, the SparkPi request; then every per-submission endpoint (BPG breaks on these ids).
@Suite(.serialized) struct WalkthroughTests {
    @Test(arguments: StoreKind.allCases)
    func sparkPiOnBothClusters(store: StoreKind) async throws {
        try await withGateway(store: store) { gateway in
            // Submit until both clusters got a job (weights 50/50).
            var ids: [String: String] = [:]
            for _ in 0..<40 where ids.count < 2 {
                let id = try await gateway.submit()
                let cluster = DevEnvironment.clusterIds.first { id.hasPrefix($0 + "-") }
                #expect(cluster != nil, "id \(id) carries a cluster prefix")
                if let cluster, ids[cluster] == nil { ids[cluster] = id }
            }
            #expect(Set(ids.keys) == Set(DevEnvironment.clusterIds))

            for (cluster, id) in ids {
                #expect(id.count == cluster.count + 1 + 32)
                try await gateway.waitForState(id, "COMPLETED")

                let status = try await gateway.send("GET", "/spark/\(id)/status").json()
                #expect((status["sparkApplicationId"] as? String)?.hasPrefix("spark-") == true)
                #expect(status["terminationTime"] is Int)
                #expect(status["creationTime"] is Int)

                let driver = try await gateway.send("GET", "/spark/\(id)/driver").json()
                #expect(driver["podName"] as? String == "\(id)-driver")
                #expect(driver["startTime"] is Int)

                let spec = try await gateway.send("GET", "/spark/\(id)/spec").json()
                #expect(spec["mainClass"] as? String == "org.apache.spark.examples.SparkPi")
                #expect(spec["proxyUser"] as? String == "alice")
                #expect((spec["driver"] as? [String: Any])?["env"] == nil)

                let describe = try await gateway.send("GET", "/spark/\(id)/describe")
                #expect(describe.status == 200)
                #expect(describe.text.hasPrefix("--- Spark Spec ---\n"))
                #expect(describe.text.contains("mainClass: org.apache.spark.examples.SparkPi"))
                #expect(describe.text.contains("--- Spark Application Events ---\n"))
                #expect(describe.text.contains("SparkApplicationCompleted"))
                #expect(describe.text.contains("--- Spark Driver Events ---\n"))

                let log = try await gateway.send("GET", "/log?subId=\(id)")
                #expect(log.status == 200)
                #expect(log.text.contains("Pi is roughly 3.14"))

                // The record follows the job.
                let record = try #require(try await gateway.gateway.store.submission(id: id))
                #expect(record.user == "alice")
                #expect(record.clusterId == cluster)
                #expect(record.resolvedQueue == "dev")
                #expect(record.requestBody?.contains("SparkPi") == true)
            }

            let mine = try await gateway.send("GET", "/spark/mySubmissions").decode(GetMySubmissionsResponse.self)
            #expect(Set(ids.values).isSubset(of: Set(mine.submissions.compactMap(\.submissionId))))
            #expect(mine.submissions.allSatisfy { $0.user == "alice" && $0.queue == "root.dev" })
            let others = try await gateway.send("GET", "/spark/mySubmissions", user: "bob").decode(GetMySubmissionsResponse.self)
            #expect(others.submissions.isEmpty)

            let admin = try await gateway.send("GET", "/admin/submissions")
            #expect(admin.status == 200)
            let lines = admin.text.split(separator: "\n")
            #expect(lines.count == mine.submissions.count)
            for line in lines {
                let summary = try JSONDecoder().decode(SubmissionSummary.self, from: Data(line.utf8))
                #expect(summary.applicationName == "SparkPi")
            }
            let byName = try await gateway.send("GET", "/admin/submissions?name=NoSuchApp")
            #expect(byName.status == 200 && byName.text.isEmpty)

            for id in ids.values {
                let deleted = try await gateway.send("DELETE", "/spark/\(id)").json()
                #expect(deleted["submissionId"] as? String == id)
                #expect(try await gateway.send("GET", "/spark/\(id)/spec").status == 404)
            }
        }
    }

    @Test func yamlSubmission() async throws {
        try await withGateway { gateway in
            let yaml = """
                applicationName: SparkPiYaml
                queue: dev
                sparkVersion: 3.5.0   # unquoted: still the string "3.5.0"
                mainApplicationFile: local:///usr/lib/spark/examples/jars/spark-examples.jar
                mainClass: org.apache.spark.examples.SparkPi
                arguments: [100]
                driver: {cores: 1, memory: 1g}
                executor:
                  instances: 1
                  cores: 1
                  memory: 1g
                """
            let reply = try await gateway.post("/spark", json: yaml, headers: ["Content-Type": "application/yaml"])
            #expect(reply.status == 200, "\(reply.text)")
            let id = try #require(try reply.json()["submissionId"] as? String)
            let spec = try await gateway.send("GET", "/spark/\(id)/spec").json()
            #expect(spec["arguments"] as? [String] == ["100"])
            #expect((spec["sparkConf"] as? [String: String])?["spark.app.name"] == "SparkPiYaml")
        }
    }

    @Test func versionAndHealth() async throws {
        try await withGateway { gateway in
            #expect(try await gateway.send("GET", "/healthcheck/status").text == #"{"status":"OK"}"#)
            let version = try await gateway.send("GET", "/admin/version").json()
            #expect(version["version"] as? String == BPG.version)
            let unauthenticated = try await gateway.send("GET", "/healthcheck/status", user: nil)
            #expect(unauthenticated.status == 401)
            #expect(unauthenticated.headers["www-authenticate"] == "Basic realm=\"bpg\"")
        }
    }
}
