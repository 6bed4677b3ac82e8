import Foundation
import GatewayCore
import JSON
import Testing

/// BPG's status and summary response shapes (docs/bpg-compatibility.md, "Status response" and
/// "Submission summaries").
struct StatusResponseTests {
    func app(state: String?, created: String? = "2024-01-01T00:00:00Z", terminated: String? = nil,
             maxRunning: String? = nil, error: String? = nil) -> SparkApplication {
        var labels: [String: String] = ["proxyUser": "alice", "queue": "root.poc"]
        labels["maxRunningMillis"] = maxRunning
        let spec = SparkApplicationSpec(
            sparkVersion: "3.2", arguments: ["a"], sparkConf: ["spark.app.name": "etl"],
            driver: SparkPodSpec(cores: 2, memory: "2g", labels: ["dag_name": "d"]),
            executor: SparkPodSpec(cores: 3, memory: "512m", instances: 4))
        let status = state.map {
            SparkApplicationStatus(sparkApplicationId: "spark-1", terminationTime: terminated,
                                   applicationState: ApplicationState(state: .init(rawValue: $0), errorMessage: error))
        }
        return SparkApplication(
            metadata: ObjectMeta(name: "c01-x", namespace: "ns", labels: labels, creationTimestamp: created), spec: spec,
            status: status)
    }

    static let created: Int64 = 1_704_067_200_000

    @Test func noStatusIsUnknownWithBPGShape() throws {
        let response = GetSubmissionStatusResponse(application: app(state: nil), sparkUIBaseURL: nil, now: Self.created + 5)
        let expected = #"{"creationTime":1704067200000,"duration":0,"applicationState":"UNKNOWN"}"#
        #expect(try JSONValue.encoding(response) == JSONValue(parsing: expected))
    }

    @Test func runningHasMovingDurationAndUIURL() {
        let response = GetSubmissionStatusResponse(application: app(state: "RUNNING"), sparkUIBaseURL: "https://ui", now: Self.created + 5000)
        #expect(response.duration == 5000)
        #expect(response.executionAttempts == 1)
        #expect(response.sparkUIUrl == "https://ui/ns/c01-x")
        #expect(response.refreshed(now: Self.created + 9000).duration == 9000)
    }

    @Test func unknownStatesArePreserved() throws {
        let json = #"{"metadata":{"name":"x"},"spec":{},"status":{"applicationState":{"state":"SOMETHING_NEW"}}}"#
        let decoded = try JSONDecoder().decode(SparkApplication.self, from: Data(json.utf8))
        #expect(decoded.status?.applicationState?.state.rawValue == "SOMETHING_NEW")
        #expect(GetSubmissionStatusResponse(application: decoded, sparkUIBaseURL: nil, now: 0).applicationState == "SOMETHING_NEW")
    }

    @Test func finishedDurationAndExtraMessages() {
        let long = GetSubmissionStatusResponse(
            application: app(state: "COMPLETED", terminated: "2024-01-01T01:00:00Z", maxRunning: "86400000"), sparkUIBaseURL: "u", now: 0)
        #expect(long.duration == 3_600_000 && long.sparkUIUrl == nil)
        #expect(long.applicationErrorMessage?.hasPrefix("(warning: application is configured with custom max running time: 86400000 millis") == true)
        let killed = GetSubmissionStatusResponse(
            application: app(state: "FAILED", terminated: "2024-01-01T00:59:00Z", maxRunning: "3600000", error: "driver died"),
            sparkUIBaseURL: nil, now: 0)
        #expect(killed.applicationErrorMessage == "driver died (application might be killed because of running too long)")
    }

    @Test func submissionSummary() {
        let summary = SubmissionSummary(
            application: app(state: "COMPLETED", terminated: "2024-01-01T00:10:00Z"), sparkUIBaseURL: nil,
            sparkHistoryDNS: "history.example", now: 0)
        #expect(summary.submissionId == "c01-x" && summary.user == "alice" && summary.queue == "root.poc" && summary.dagName == "d")
        #expect(summary.driverCores == 2 && summary.driverMemoryGB == 2 && summary.executorInstances == 4)
        #expect(summary.executorCores == 3 && summary.executorMemoryGB == 0 && summary.totalCores == 14 && summary.totalMemoryGB == 2)
        #expect(summary.sparkUIUrl == "https://history.example/history/spark-1")
        #expect(summary.applicationName == "etl" && summary.applicationArguments == ["a"] && summary.sparkVersion == "3.2")
    }

    @Test func errorBodyShape() throws {
        let body = ErrorResponse(SubmissionError.badRequest("Spark version not supported: 3.9"))
        let expected = #"{"code":400,"message":"Spark version not supported: 3.9"}"#
        #expect(try JSONValue.encoding(body) == JSONValue(parsing: expected))
    }

    @Test func costFromRatesResourcesAndRunTime() {
        var config = GatewayConfiguration()
        #expect(ApplicationCost.cost(of: app(state: nil), runSeconds: 10, configuration: config) == nil)
        config.memoryMbSecondCost = 0.001
        config.vCoreSecondCost = 0.01
        // memory: 4 × 512 + 2048 = 4096 MiB; cores: 4 × 3 + 2 = 14.
        let cost = ApplicationCost.cost(of: app(state: nil), runSeconds: 10, configuration: config)
        #expect(abs((cost ?? 0) - (4096 * 0.001 + 14 * 0.01) * 10) < 1e-9)
    }
}
