import Foundation
import Logging
import Testing

@testable import KubeSimulator

/// The simulated operator against a real store, with millisecond timings.
struct SimulatedOperatorTests {
    let harness = APIHarness()
    let outcomes = OutcomeBook()

    func makeOperator(
        capacity: Int? = nil, eventLimit: Int? = nil, timings: SimulatedOperatorTimings = .uniform(.milliseconds(30))
    ) -> SimulatedOperator {
        let outcomes = self.outcomes
        return SimulatedOperator(
            store: harness.store, logs: harness.logs, timings: timings, capacity: capacity, eventLimit: eventLimit, logger: .disabled
        ) { namespace, name, object, attempt in
            outcomes.outcome(namespace: namespace, name: name, application: object, attempt: attempt)
        }
    }

    func state(_ name: String) -> String? {
        (try? harness.store.get(.sparkApplications, namespace: "spark", name: name))?[path: ["status", "applicationState", "state"]]?.stringValue
    }

    /// Waits (up to five seconds) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws -> Bool {
        // Generous: on a loaded machine the operator's timers can lag by seconds.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func applicationRunsToCompletedLikeTheRealOperator() async throws {
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(namespace: "spark"), from: .after(harness.store.resourceVersion))
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        var states: [String] = []
        var versions: [Int] = []
        for await event in watch.events {
            if event.type == .modified {
                states.append(event.object[path: ["status", "applicationState", "state"]]?.stringValue ?? "")
                versions.append(event.object.resourceVersion)
            }
            if states.last == "COMPLETED" { break }
        }
        watch.cancel()
        #expect(states == ["SUBMITTED", "RUNNING", "SUCCEEDING", "COMPLETED"])
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)

        let app = try harness.store.get(.sparkApplications, namespace: "spark", name: "pi")
        let status = try #require(app["status"])
        let applicationID = try #require(status["sparkApplicationId"]?.stringValue)
        #expect(applicationID.hasPrefix("spark-") && applicationID.count == 38 && applicationID.dropFirst(6).allSatisfy(\.isHexDigit))
        #expect(status[path: ["driverInfo", "podName"]] == "pi-driver")
        #expect(status[path: ["driverInfo", "webUIServiceName"]] == "pi-ui-svc")
        #expect(status[path: ["driverInfo", "webUIPort"]] == 4040)
        #expect(status["submissionAttempts"] == 1)
        #expect(status["executionAttempts"] == 1)
        #expect(status["lastSubmissionAttemptTime"]?.stringValue != nil)
        #expect(status["terminationTime"]?.stringValue != nil)
        #expect(status["executorState"]?.objectValue?.count == 2)
        #expect(status["executorState"]?.objectValue?.values.allSatisfy { $0 == "COMPLETED" } == true)

        let driver = try harness.store.get(.pods, namespace: "spark", name: "pi-driver")
        #expect(driver[path: ["status", "phase"]] == "Succeeded")
        #expect(driver.labels["spark-role"] == "driver")
        #expect(driver.labels["sparkoperator.k8s.io/app-name"] == "pi")
        #expect(driver.labels["spark-app-selector"] == .some(applicationID))
        // Spark deletes its executor pods when the application ends.
        let executors = try await harness.send("GET", "/api/v1/namespaces/spark/pods", query: [("labelSelector", "spark-role=executor,sparkoperator.k8s.io/app-name=pi")])
        #expect(executors.json["items"]?.arrayValue?.count == 0)

        let log = try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log")
        let lines = log.text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("Pi is roughly 3.14") })
        #expect(lines.first?.contains("Running Spark version 3.5.3") == true)
        let lastLine = try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("tailLines", "4")])
        #expect(lastLine.text.hasPrefix("Pi is roughly 3.14"))

        let events = try await harness.send("GET", "/api/v1/namespaces/spark/events", query: [("fieldSelector", "involvedObject.name=pi")])
        let reasons = events.json["items"]?.arrayValue?.compactMap { $0["reason"]?.stringValue } ?? []
        for reason in ["SparkApplicationSubmitted", "SparkDriverRunning", "SparkExecutorRunning", "SparkDriverCompleted", "SparkApplicationCompleted"] {
            #expect(reasons.contains(reason), "\(reason)")
        }
        #expect(events.json["items"]?.arrayValue?.first?[path: ["involvedObject", "kind"]] == "SparkApplication")
        // The driver pod's own events, which BPG fetches by the pod name.
        let podEvents = try await harness.send("GET", "/api/v1/namespaces/spark/events", query: [("fieldSelector", "involvedObject.name=pi-driver,involvedObject.kind=Pod")])
        #expect(podEvents.json["items"]?.arrayValue?.compactMap { $0["reason"]?.stringValue } == ["Scheduled", "Pulled", "Created", "Started"])
        #expect(podEvents.json["items"]?.arrayValue?.last?["message"] == "Started container spark-kubernetes-driver")
        #expect(events.json["items"]?.arrayValue?.first?[path: ["involvedObject", "uid"]] == app[path: ["metadata", "uid"]])
        await simulated.stop()
    }

    @Test func failedApplication() async throws {
        outcomes.set(.failed, forApplicationNamed: "bad")
        let simulated = makeOperator()
        await simulated.start()
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("bad"))
        #expect(try await eventually { state("bad") == "FAILED" })
        let app = try harness.store.get(.sparkApplications, namespace: "spark", name: "bad")
        #expect(app[path: ["status", "applicationState", "errorMessage"]]?.stringValue?.contains("ExitCode: 1") == true)
        #expect(app[path: ["status", "terminationTime"]] != nil)
        #expect(try harness.store.get(.pods, namespace: "spark", name: "bad-driver")[path: ["status", "phase"]] == "Failed")
        let log = try await harness.send("GET", "/api/v1/namespaces/spark/pods/bad-driver/log")
        #expect(log.text.contains("Exception in thread \"main\""))
        #expect(!log.text.contains("Pi is roughly"))
        await simulated.stop()
    }

    @Test func submissionFailureThroughTheAnnotation() async throws {
        let simulated = makeOperator()
        await simulated.start()
        let watch = try harness.store.watch(.sparkApplications, filter: ObjectFilter(), from: .after(0))
        var app = APIHarness.sparkPi("nosubmit")
        app[path: ["metadata", "annotations"]] = [.init(stringLiteral: SimulatedOutcome.annotation): "submissionFailed"]
        _ = try await harness.send("POST", APIHarness.appsPath, body: app)
        var states: [String] = []
        for await event in watch.events where event.type == .modified {
            states.append(event.object[path: ["status", "applicationState", "state"]]?.stringValue ?? "")
            if states.last == "FAILED" { break }
        }
        #expect(states == ["SUBMISSION_FAILED", "FAILED"])
        #expect(throws: KubeStatus.self) { try harness.store.get(.pods, namespace: "spark", name: "nosubmit-driver") }
        let status = try harness.store.get(.sparkApplications, namespace: "spark", name: "nosubmit")["status"]
        #expect(status?["submissionAttempts"] == 1)
        #expect(status?["sparkApplicationId"] == nil)
        await simulated.stop()
    }

    @Test func capacityKeepsApplicationsSubmitted() async throws {
        // Runs are long enough (3 s) that a loaded machine cannot blur the order of events.
        let simulated = makeOperator(capacity: 1, timings: SimulatedOperatorTimings(submission: .milliseconds(10), start: .milliseconds(10), run: .seconds(3)))
        await simulated.start()
        for name in ["a", "b", "c"] { _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi(name)) }
        #expect(try await eventually { state("a") == "RUNNING" && state("b") == "SUBMITTED" && state("c") == "SUBMITTED" })
        #expect(await simulated.load.running == 1)
        #expect(await simulated.load.waiting == 2)
        // The queued driver pods are Pending, as unschedulable pods are.
        #expect(try harness.store.get(.pods, namespace: "spark", name: "c-driver")[path: ["status", "phase"]] == "Pending")
        let scheduling = try await harness.send("GET", "/api/v1/namespaces/spark/events", query: [("fieldSelector", "involvedObject.name=c-driver")])
        #expect(scheduling.json["items"]?.arrayValue?.first?["reason"] == "FailedScheduling")
        #expect(scheduling.json["items"]?.arrayValue?.first?["type"] == "Warning")
        // Slots free in arrival order.
        #expect(try await eventually { state("a") == "COMPLETED" && state("b") == "RUNNING" })
        #expect(state("c") == "SUBMITTED")
        #expect(try await eventually { state("c") == "COMPLETED" })
        await simulated.stop()
    }

    @Test func deletingARunningApplicationFreesItsSlotAndPods() async throws {
        let simulated = makeOperator(capacity: 1, timings: SimulatedOperatorTimings(submission: .milliseconds(10), start: .milliseconds(10), run: .seconds(30)))
        await simulated.start()
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("long"))
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("next"))
        #expect(try await eventually { state("long") == "RUNNING" && state("next") == "SUBMITTED" })
        let deleted = try await harness.send("DELETE", APIHarness.appsPath + "/long", body: ["propagationPolicy": "Foreground"])
        #expect(deleted.status == 200)
        #expect(try await eventually {
            ((try? harness.store.list(.pods, filter: ObjectFilter(labels: LabelSelector(requirements: [.equals("sparkoperator.k8s.io/app-name", "long")]))))?.items.isEmpty) == true
        })
        #expect(try await eventually { state("next") == "RUNNING" })
        await simulated.stop()
    }

    @Test func followingTheDriverLogEndsWhenThePodFinishes() async throws {
        let simulated = makeOperator(timings: SimulatedOperatorTimings(submission: .milliseconds(10), start: .milliseconds(10), run: .milliseconds(300)))
        await simulated.start()
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        #expect(try await eventually { state("pi") == "RUNNING" })
        let reply = try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("follow", "true")])
        // The stream ends when the container exits; the operator records it right after.
        #expect(try await eventually { state("pi") == "COMPLETED" })
        #expect(reply.text.contains("Running Spark version"))
        #expect(reply.text.contains("\nPi is roughly 3.14"))
        #expect(reply.text.hasSuffix("Shutdown hook called\n"))
        await simulated.stop()
    }

    @Test func executorsStayWhenAskedAndOldEventsExpireBeyondTheLimit() async throws {
        let simulated = makeOperator(eventLimit: 5, timings: .uniform(.milliseconds(10)))
        await simulated.start()
        var app = APIHarness.sparkPi("keep")
        app[path: ["spec", "executor", "deleteOnTermination"]] = false
        _ = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(try await eventually { state("keep") == "COMPLETED" })
        let executors = try harness.store.list(.pods, filter: ObjectFilter(labels: try LabelSelector(parsing: "spark-role=executor")))
        #expect(executors.items.map { $0[path: ["status", "phase"]] } == ["Succeeded", "Succeeded"])
        let events = try harness.store.list(.events, filter: ObjectFilter()).items
        #expect(events.count == 5)
        #expect(events.last?["reason"] == "SparkApplicationCompleted")
        await simulated.stop()
    }
}
