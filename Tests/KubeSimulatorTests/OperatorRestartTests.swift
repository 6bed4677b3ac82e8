import Foundation
import JSON
import Testing

@testable import KubeSimulator

/// The simulated operator's restart policies, suspend/resume and pod details, against a real store,
/// with millisecond timings (one "second" of a retry interval lasts 30 ms).
struct OperatorRestartTests {
    let harness = APIHarness()
    let outcomes = OutcomeBook()

    func makeOperator(timings: SimulatedOperatorTimings = .uniform(.milliseconds(30))) -> SimulatedOperator {
        let outcomes = self.outcomes
        return SimulatedOperator(store: harness.store, logs: harness.logs, timings: timings, capacity: nil, logger: .disabled) {
            namespace, name, object, attempt in
            outcomes.outcome(namespace: namespace, name: name, application: object, attempt: attempt)
        }
    }

    func application(_ name: String) -> JSONValue? { try? harness.store.get(.sparkApplications, namespace: "spark", name: name) }
    func state(_ name: String) -> String? { application(name)?[path: ["status", "applicationState", "state"]]?.stringValue }

    func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    static func app(_ name: String, restartPolicy: JSONValue? = nil, suspend: Bool? = nil) -> JSONValue {
        var app = APIHarness.sparkPi(name)
        if let restartPolicy { app[path: ["spec", "restartPolicy"]] = restartPolicy }
        if let suspend { app[path: ["spec", "suspend"]] = .bool(suspend) }
        return app
    }

    /// Collects the states the application's MODIFIED events carry until `last` (or 30 s).
    func states(of name: String, from watch: ObjectStore.Subscription, until last: String) async -> [String] {
        var states: [String] = []
        let timeout = Task {
            try? await Task.sleep(for: .seconds(30))
            watch.cancel()
        }
        for await event in watch.events where event.type == .modified && event.object.name == name {
            let state = event.object[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
            if states.last != state { states.append(state) }
            if state == last { break }
        }
        timeout.cancel()
        watch.cancel()
        return states
    }

    func reasons(_ name: String) async throws -> [String] {
        let events = try await harness.send(
            "GET", "/api/v1/namespaces/spark/events", query: [("fieldSelector", "involvedObject.name=\(name)")])
        return (events.json["items"]?.arrayValue ?? []).compactMap { $0["reason"]?.stringValue }
    }

    @Test func onFailureRetriesRunAgainAndCountAttempts() async throws {
        outcomes.set([.failed, .failed, .completed], forApplicationNamed: "retry")
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        let policy: JSONValue = ["type": "OnFailure", "onFailureRetries": 2, "onFailureRetryInterval": 1]
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("retry", restartPolicy: policy))
        let states = await states(of: "retry", from: watch, until: "COMPLETED")
        let attempt = ["SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN"]
        #expect(states == attempt + attempt + ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
        let status = try #require(application("retry")?["status"])
        #expect(status["executionAttempts"] == 3)
        #expect(status["submissionAttempts"] == 3)
        #expect(status["terminationTime"]?.stringValue != nil)
        #expect(status[path: ["applicationState", "errorMessage"]] == nil)
        let reasons = try await reasons("retry")
        #expect(reasons.filter { $0 == "SparkApplicationPendingRerun" }.count == 2)
        #expect(reasons.filter { $0 == "SparkApplicationSubmitted" }.count == 3)
        #expect(reasons.filter { $0 == "SparkDriverFailed" }.count == 2)
        #expect(reasons.first == "SparkApplicationAdded")
        #expect(reasons.last == "SparkApplicationCompleted")
        // The last attempt's driver pod is the one left.
        let driver = try harness.store.get(.pods, namespace: "spark", name: "retry-driver")
        #expect(driver.labels["spark-app-selector"] == status["sparkApplicationId"]?.stringValue)
        await simulated.stop()
    }

    @Test func onFailureGivesUpWhenRetriesAreUsedUp() async throws {
        outcomes.set(.failed, forApplicationNamed: "doomed")
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        let policy: JSONValue = ["type": "OnFailure", "onFailureRetries": 1, "onFailureRetryInterval": 1]
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("doomed", restartPolicy: policy))
        let states = await states(of: "doomed", from: watch, until: "FAILED")
        #expect(states == ["SUBMITTED", "RUNNING", "FAILING", "PENDING_RERUN", "SUBMITTED", "RUNNING", "FAILING", "FAILED"])
        let status = try #require(application("doomed")?["status"])
        #expect(status["executionAttempts"] == 2)
        #expect(status[path: ["applicationState", "errorMessage"]] == "driver container failed with ExitCode: 1, Reason: Error")
        #expect(try await reasons("doomed").last == "SparkApplicationFailed")
        await simulated.stop()
    }

    @Test func neverAndOnFailureWithoutRetriesFailAtOnce() async throws {
        outcomes.set(.failed, forApplicationNamed: "never")
        outcomes.set(.failed, forApplicationNamed: "noretries")
        let simulated = makeOperator()
        await simulated.start()
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("never", restartPolicy: ["type": "Never"]))
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("noretries", restartPolicy: ["type": "OnFailure"]))
        #expect(try await eventually { state("never") == "FAILED" && state("noretries") == "FAILED" })
        #expect(application("never")?[path: ["status", "executionAttempts"]] == 1)
        #expect(application("noretries")?[path: ["status", "executionAttempts"]] == 1)
        await simulated.stop()
    }

    @Test func submissionFailuresAreRetriedThenSucceed() async throws {
        outcomes.set([.submissionFailed, .completed], forApplicationNamed: "flaky")
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        let policy: JSONValue = ["type": "OnFailure", "onSubmissionFailureRetries": 1, "onSubmissionFailureRetryInterval": 1]
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("flaky", restartPolicy: policy))
        let states = await states(of: "flaky", from: watch, until: "COMPLETED")
        // The operator submits again straight from SUBMISSION_FAILED.
        #expect(states == ["SUBMISSION_FAILED", "SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
        let status = try #require(application("flaky")?["status"])
        #expect(status["submissionAttempts"] == 2)
        #expect(status["executionAttempts"] == 1)
        await simulated.stop()
    }

    @Test func submissionFailuresBeyondTheRetriesFail() async throws {
        outcomes.set(.submissionFailed, forApplicationNamed: "broken")
        let simulated = makeOperator()
        await simulated.start()
        let policy: JSONValue = ["type": "OnFailure", "onSubmissionFailureRetries": 2, "onSubmissionFailureRetryInterval": 1]
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("broken", restartPolicy: policy))
        #expect(try await eventually { state("broken") == "FAILED" })
        let status = try #require(application("broken")?["status"])
        #expect(status["submissionAttempts"] == 3)
        #expect(status["executionAttempts"] == nil)
        #expect(try await reasons("broken").filter { $0 == "SparkApplicationSubmissionFailed" }.count == 3)
        await simulated.stop()
    }

    @Test func alwaysRerunsEvenAfterSuccess() async throws {
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("forever", restartPolicy: ["type": "Always"]))
        var states: [String] = []
        for await event in watch.events where event.type == .modified {
            let state = event.object[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
            if states.last != state { states.append(state) }
            if states.filter({ $0 == "RUNNING" }).count == 2 { break }
        }
        watch.cancel()
        #expect(states == ["SUBMITTED", "RUNNING", "SUCCEEDING", "PENDING_RERUN", "SUBMITTED", "RUNNING"])
        #expect(!states.contains("COMPLETED"))
        // Deleting it ends the loop.
        _ = try await harness.send("DELETE", APIHarness.appsPath + "/forever")
        #expect(try await eventually {
            (try? harness.store.list(.pods, filter: ObjectFilter(namespace: "spark")).items.isEmpty) == true
        })
        await simulated.stop()
    }

    @Test func aDeletedDriverPodIsRetriedUnderOnFailure() async throws {
        let simulated = makeOperator(timings: SimulatedOperatorTimings(
            submission: .milliseconds(30), start: .milliseconds(30), run: .seconds(60), retryIntervalUnit: .milliseconds(30)))
        await simulated.start()
        let policy: JSONValue = ["type": "OnFailure", "onFailureRetries": 1, "onFailureRetryInterval": 1]
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("killed", restartPolicy: policy))
        #expect(try await eventually { state("killed") == "RUNNING" })
        _ = try await harness.send("DELETE", "/api/v1/namespaces/spark/pods/killed-driver")
        #expect(try await eventually { state("killed") == "RUNNING" && application("killed")?[path: ["status", "executionAttempts"]] == 2 })
        _ = try await harness.send("DELETE", "/api/v1/namespaces/spark/pods/killed-driver")
        #expect(try await eventually { state("killed") == "FAILED" })
        #expect(application("killed")?[path: ["status", "applicationState", "errorMessage"]] == "driver pod not found")
        #expect(application("killed")?[path: ["status", "terminationTime"]] != nil)
        await simulated.stop()
    }

    @Test func suspendDeletesThePodsAndResumeStartsANewAttempt() async throws {
        let simulated = makeOperator(timings: SimulatedOperatorTimings(
            submission: .milliseconds(30), start: .milliseconds(30), run: .seconds(60), retryIntervalUnit: .milliseconds(30)))
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("pausable"))
        #expect(try await eventually { state("pausable") == "RUNNING" })
        let patch = [("Content-Type", "application/merge-patch+json")]
        let suspended = try await harness.send("PATCH", APIHarness.appsPath + "/pausable", body: ["spec": ["suspend": true]], headers: patch)
        #expect(suspended.status == 200)
        #expect(try await eventually { state("pausable") == "SUSPENDED" })
        #expect((try harness.store.list(.pods, filter: ObjectFilter(namespace: "spark")).items).isEmpty)
        var status = try #require(application("pausable")?["status"])
        #expect(status["sparkApplicationId"] == nil)
        #expect(status[path: ["driverInfo", "podName"]] == nil)
        #expect(status["executionAttempts"] == 1)
        // Resumed: a new submission, a new driver.
        _ = try await harness.send("PATCH", APIHarness.appsPath + "/pausable", body: ["spec": ["suspend": false]], headers: patch)
        #expect(try await eventually { state("pausable") == "RUNNING" })
        status = try #require(application("pausable")?["status"])
        #expect(status["executionAttempts"] == 2)
        #expect(status["submissionAttempts"] == 2)
        watch.cancel()
        var states: [String] = []
        for await event in watch.events where event.type == .modified {
            let state = event.object[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
            if states.last != state { states.append(state) }
        }
        #expect(states == ["SUBMITTED", "RUNNING", "SUSPENDING", "SUSPENDED", "RESUMING", "SUBMITTED", "RUNNING"])
        let reasons = try await reasons("pausable")
        for reason in ["SparkApplicationSuspending", "SparkApplicationSuspended", "SparkApplicationResuming"] {
            #expect(reasons.contains(reason), "\(reason) in \(reasons)")
        }
        await simulated.stop()
    }

    @Test func anApplicationCreatedSuspendedNeverRunsUntilResumed() async throws {
        let simulated = makeOperator()
        await simulated.start()
        _ = try await harness.send("POST", APIHarness.appsPath, body: Self.app("held", suspend: true))
        #expect(try await eventually { state("held") == "SUSPENDED" })
        try await Task.sleep(for: .milliseconds(200))
        #expect(state("held") == "SUSPENDED")
        #expect(application("held")?[path: ["status", "submissionAttempts"]] == nil)
        #expect((try harness.store.list(.pods, filter: ObjectFilter(namespace: "spark")).items).isEmpty)
        let patch = [("Content-Type", "application/merge-patch+json")]
        _ = try await harness.send("PATCH", APIHarness.appsPath + "/held", body: ["spec": ["suspend": false]], headers: patch)
        #expect(try await eventually { state("held") == "COMPLETED" })
        await simulated.stop()
    }

    @Test func podsCarryContainerStatusesAddressesQoSAndSparkLabels() async throws {
        let simulated = makeOperator(timings: SimulatedOperatorTimings(
            submission: .milliseconds(30), start: .milliseconds(30), run: .seconds(1), retryIntervalUnit: .milliseconds(30)))
        await simulated.start()
        var app = Self.app("Shaped-App".lowercased())
        app[path: ["spec", "driver", "coreLimit"]] = "1"
        app[path: ["spec", "driver", "cores"]] = 1
        app[path: ["spec", "driver", "memory"]] = "512m"
        _ = try await harness.send("POST", APIHarness.appsPath, body: app)
        let pending = try await eventually { (try? harness.store.get(.pods, namespace: "spark", name: "shaped-app-driver")) != nil }
        #expect(pending)
        #expect(try await eventually { state("shaped-app") == "RUNNING" })
        let driver = try harness.store.get(.pods, namespace: "spark", name: "shaped-app-driver")
        #expect(driver.labels["spark-app-name"] == "shaped-app")
        #expect(driver.labels["spark-role"] == "driver")
        #expect(driver.labels["sparkoperator.k8s.io/app-name"] == "shaped-app")
        #expect(driver[path: ["status", "podIP"]]?.stringValue?.hasPrefix("10.244.") == true)
        #expect(driver[path: ["status", "qosClass"]] == "Guaranteed")
        #expect(driver[path: ["spec", "containers"]]?.arrayValue?.first?[path: ["resources", "requests", "memory"]] == "896Mi")
        let running = driver[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "running", "startedAt"]]
        #expect(running?.stringValue != nil)
        let executors = try harness.store.list(
            .pods, filter: ObjectFilter(namespace: "spark", labels: LabelSelector(requirements: [.equals("spark-role", "executor")]))).items
        #expect(!executors.isEmpty)
        #expect(executors.allSatisfy { $0[path: ["status", "qosClass"]] == "Burstable" && $0[path: ["status", "phase"]] == "Running" })
        #expect(try await eventually { state("shaped-app") == "COMPLETED" })
        let finished = try harness.store.get(.pods, namespace: "spark", name: "shaped-app-driver")
        #expect(finished[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "terminated", "exitCode"]] == 0)
        #expect(finished[path: ["status", "containerStatuses"]]?.arrayValue?.first?[path: ["state", "terminated", "reason"]] == "Completed")
        let reasons = try await reasons("shaped-app")
        for reason in ["SparkApplicationAdded", "SparkApplicationSubmitted", "SparkDriverRunning", "SparkExecutorPending", "SparkExecutorRunning",
                       "SparkDriverCompleted", "SparkApplicationCompleted"] {
            #expect(reasons.contains(reason), "\(reason) in \(reasons)")
        }
        await simulated.stop()
    }

    @Test(arguments: [
        ("Never", nil as Int?, 1, false), ("OnFailure", nil, 1, false), ("OnFailure", 2, 2, true), ("OnFailure", 2, 3, false),
        ("Always", nil, 7, true), ("Always", 0, 1, true),
    ])
    func retryDecisionsMatchTheOperator(type: String, retries: Int?, executions: Int, retried: Bool) {
        var policy: JSONValue = ["type": .string(type)]
        if let retries { policy["onFailureRetries"] = .int(retries) }
        let decoded = RestartPolicy(["spec": ["restartPolicy": policy]])
        #expect(decoded.retriesFailure(afterExecutions: executions) == retried)
        #expect(decoded.failureRetryInterval == 5)
    }

    @Test(arguments: [("512m", 512), ("2g", 2048), ("2Gi", 2048), ("1024", 1024), ("x", nil as Int?)])
    func sparkMemoryStrings(text: String, mebibytes: Int?) {
        #expect(PodResources.mebibytes(text) == mebibytes)
    }
}
