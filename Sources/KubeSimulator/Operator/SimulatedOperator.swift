import Foundation
import JSON
import Logging

/// A simulated Kubeflow Spark operator. It watches SparkApplications in the store and walks each one
/// through the real operator's states (SUBMITTED → RUNNING → SUCCEEDING → COMPLETED, or the failing
/// paths), writing `status` like the real one, creating the driver and executor pods with their logs,
/// and recording core/v1 Events about the application. Every status change is a store write, so it
/// bumps the resourceVersion and reaches watchers as MODIFIED.
///
/// With a capacity, at most that many applications run at once; the rest stay SUBMITTED (their driver
/// pods Pending) in arrival order until a running one ends or is deleted.
actor SimulatedOperator {
    typealias OutcomeProvider = @Sendable (_ namespace: String, _ name: String, _ application: JSONValue) -> SimulatedOutcome

    struct AppKey: Hashable {
        var namespace: String
        var name: String
        var uid: String
    }

    private let store: ObjectStore
    private let logs: PodLogStore
    private let timings: SimulatedOperatorTimings
    private var capacity: Int?
    private let outcome: OutcomeProvider
    private let logger: Logger

    private var watchTask: Task<Void, Never>?
    private var subscription: ObjectStore.Subscription?
    private var tasks: [AppKey: Task<Void, Never>] = [:]
    private var running: Set<AppKey> = []
    private var waiting: [AppKey] = []
    private var stopped = false
    private var lastEventStamp: UInt64 = 0
    private let eventLimit: Int?
    /// Events recorded, oldest first from `recordedHead` (the dead prefix is trimmed in batches).
    private var recordedEvents: [(namespace: String, name: String)] = []
    private var recordedHead = 0

    init(
        store: ObjectStore, logs: PodLogStore, timings: SimulatedOperatorTimings, capacity: Int?, eventLimit: Int? = nil,
        logger: Logger, outcome: @escaping OutcomeProvider
    ) {
        self.eventLimit = eventLimit.map { max($0, 1) }
        self.store = store
        self.logs = logs
        self.timings = timings
        self.capacity = capacity.map { max($0, 0) }
        self.logger = logger
        self.outcome = outcome
    }

    /// Starts reconciling: picks up applications that exist now and every later change. Does nothing
    /// once stopped.
    func start() {
        guard watchTask == nil, !stopped,
            let subscription = try? store.watch(
                .sparkApplications, filter: ObjectFilter(), from: .currentState, bufferLimit: 1 << 30, isClient: false)
        else { return }
        self.subscription = subscription
        watchTask = Task { [weak self] in
            for await event in subscription.events {
                await self?.handle(event)
            }
        }
    }

    /// Stops reconciling and abandons every application where it is.
    func stop() async {
        stopped = true
        subscription?.cancel()
        subscription = nil
        let watch = watchTask
        watchTask = nil
        await watch?.value
        for task in tasks.values { task.cancel() }
        for task in tasks.values { await task.value }
        tasks.removeAll()
        running.removeAll()
        waiting.removeAll()
    }

    /// Changes how many applications may run at once (nil: unlimited). Raising it admits waiting
    /// applications at once; lowering it lets running ones finish.
    func setCapacity(_ capacity: Int?) {
        self.capacity = capacity.map { max($0, 0) }
        admitWaiting()
    }

    /// How many applications hold a running slot, and how many wait for one.
    var load: (running: Int, waiting: Int) { (running.count, waiting.count) }

    private func handle(_ event: WatchEvent) {
        let object = event.object
        guard let uid = object[path: ["metadata", "uid"]]?.stringValue else { return }
        let key = AppKey(namespace: object.namespace, name: object.name, uid: uid)
        switch event.type {
        case .added:
            // New applications only: one the store already shows in a state was handled before a restart.
            let state = object[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
            guard state.isEmpty, tasks[key] == nil else { return }
            let decided = outcome(key.namespace, key.name, object)
            tasks[key] = Task { [weak self] in await self?.submit(key, application: object, outcome: decided) }
        case .deleted:
            forget(key)
            cleanUpPods(of: key)
        default:
            break
        }
    }

    /// The real operator's reaction to the driver pod of a running application gone (someone deleted
    /// it, e.g. a gateway enforcing a time limit): the application goes `FAILING` with "driver pod not
    /// found", then `FAILED`; its executors go with the driver. Checked while the driver runs (a watch
    /// of its own would add a watcher that tests count as a client's).
    private func driverPodDeleted(_ key: AppKey, pod podName: String) {
        let name = key.name
        guard let application = try? store.get(.sparkApplications, namespace: key.namespace, name: name),
            application[path: ["metadata", "uid"]]?.stringValue == key.uid,
            ["SUBMITTED", "RUNNING"].contains(application[path: ["status", "applicationState", "state"]]?.stringValue ?? "")
        else { return }
        tasks.removeValue(forKey: key)?.cancel()
        waiting.removeAll { $0 == key }
        let executors = ObjectFilter(
            namespace: key.namespace,
            labels: LabelSelector(requirements: [.equals("sparkoperator.k8s.io/app-name", name), .equals("spark-role", "executor")]))
        let executorNames = ((try? store.list(.pods, filter: executors).items) ?? []).map(\.name)
        for executor in executorNames {
            _ = try? store.delete(.pods, namespace: key.namespace, name: executor)
            logs.remove(namespace: key.namespace, pod: executor)
        }
        logs.remove(namespace: key.namespace, pod: podName)
        let message = "driver pod not found"
        update(key) { status in
            status["applicationState"] = ["state": "FAILING", "errorMessage": .string(message)]
            if !executorNames.isEmpty {
                status["executorState"] = .object(JSONObject(executorNames.map { (key: $0, value: JSONValue.string("FAILED")) }))
            }
        }
        update(key) { status in
            status["applicationState"] = ["state": "FAILED", "errorMessage": .string(message)]
            status["terminationTime"] = .string(ObjectStore.timestamp())
        }
        recordEvent(key, type: "Warning", reason: "SparkApplicationFailed", message: "SparkApplication \(name) failed: \(message)")
        if running.remove(key) != nil { admitWaiting() }
    }

    private func forget(_ key: AppKey) {
        tasks.removeValue(forKey: key)?.cancel()
        waiting.removeAll { $0 == key }
        if running.remove(key) != nil { admitWaiting() }
    }

    private func admitWaiting() {
        while let next = waiting.first, hasRoom {
            waiting.removeFirst()
            admit(next)
        }
    }

    private var hasRoom: Bool { capacity.map { running.count < $0 } ?? true }

    private func admit(_ key: AppKey) {
        running.insert(key)
        let previous = tasks[key]
        tasks[key] = Task { [weak self] in
            await previous?.value
            await self?.run(key)
        }
    }

    /// The submission step ended in SUBMITTED: run now or queue for a slot (the driver pod stays
    /// Pending, and the scheduler says why, as for a full cluster).
    private func submitted(_ key: AppKey, driverPod: String) {
        guard tasks[key] != nil else { return }
        if hasRoom {
            admit(key)
        } else {
            waiting.append(key)
            recordPodEvent(
                namespace: key.namespace, pod: driverPod, container: nil, component: "default-scheduler", type: "Warning",
                reason: "FailedScheduling",
                message: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
        }
    }

    private func finished(_ key: AppKey) {
        tasks[key] = nil
        if running.remove(key) != nil { admitWaiting() }
    }

    // MARK: - Lifecycle steps (run in per-application tasks; store writes fail harmlessly once deleted)

    private func submit(_ key: AppKey, application: JSONValue, outcome: SimulatedOutcome) async {
        guard await pause(timings.submission) else { return }
        let now = ObjectStore.timestamp()
        let submissionID = UUID().uuidString.lowercased()
        if outcome == .submissionFailed {
            let message = "failed to run spark-submit: simulated submission failure"
            update(key) { status in
                status["applicationState"] = ["state": "SUBMISSION_FAILED", "errorMessage": .string(message)]
                status["submissionAttempts"] = .int((status["submissionAttempts"]?.intValue ?? 0) + 1)
                status["lastSubmissionAttemptTime"] = .string(now)
                status["submissionID"] = .string(submissionID)
            }
            recordEvent(key, type: "Warning", reason: "SparkApplicationSubmissionFailed", message: "failed to submit SparkApplication \(key.name): \(message)")
            guard await pause(timings.submission) else { return }
            update(key) { status in
                status["applicationState"] = ["state": "FAILED", "errorMessage": .string(message)]
                status["terminationTime"] = .string(ObjectStore.timestamp())
            }
            recordEvent(key, type: "Warning", reason: "SparkApplicationFailed", message: "SparkApplication \(key.name) failed: \(message)")
            finished(key)
            return
        }
        let applicationID = "spark-" + Self.randomHex(32)
        let driverPod = Self.driverPodName(key.name, application)
        createDriverPod(key, application: application, name: driverPod, applicationID: applicationID, submissionID: submissionID)
        update(key) { status in
            status["applicationState"] = ["state": "SUBMITTED"]
            status["sparkApplicationId"] = .string(applicationID)
            status["submissionID"] = .string(submissionID)
            status["lastSubmissionAttemptTime"] = .string(now)
            status["submissionAttempts"] = .int((status["submissionAttempts"]?.intValue ?? 0) + 1)
            status["executionAttempts"] = .int((status["executionAttempts"]?.intValue ?? 0) + 1)
            status["driverInfo"] = [
                "podName": .string(driverPod), "webUIServiceName": .string("\(key.name)-ui-svc"), "webUIPort": 4040,
            ]
            status["terminationTime"] = nil
        }
        recordEvent(key, type: "Normal", reason: "SparkApplicationSubmitted", message: "SparkApplication \(key.name) was submitted successfully")
        recordEvent(key, type: "Normal", reason: "SparkDriverPending", message: "Driver \(driverPod) is pending")
        submitted(key, driverPod: driverPod)
    }

    private func run(_ key: AppKey) async {
        guard await pause(timings.start) else { return }
        guard let application = try? store.get(.sparkApplications, namespace: key.namespace, name: key.name),
            application[path: ["metadata", "uid"]]?.stringValue == key.uid
        else { return }
        let outcome = outcome(key.namespace, key.name, application)
        let driverPod = application[path: ["status", "driverInfo", "podName"]]?.stringValue ?? Self.driverPodName(key.name, application)
        let applicationID = application[path: ["status", "sparkApplicationId"]]?.stringValue ?? ""
        let sparkVersion = application[path: ["spec", "sparkVersion"]]?.stringValue ?? "3.5.3"
        let instances = min(max(application[path: ["spec", "executor", "instances"]]?.intValue ?? 1, 1), 20)
        let prefix = "\(key.name)-\(applicationID.dropFirst(6).prefix(8))"
        let executors = (1...instances).map { "\(prefix)-exec-\($0)" }

        setPodPhase(key.namespace, driverPod, "Running")
        let driverImage =
            (try? store.get(.pods, namespace: key.namespace, name: driverPod))?[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?
            .stringValue ?? ""
        recordPodStarted(namespace: key.namespace, pod: driverPod, container: "spark-kubernetes-driver", image: driverImage)
        logs.append(namespace: key.namespace, pod: driverPod, lines: SparkPiLog.driverStart(
            app: key.name, namespace: key.namespace, sparkVersion: sparkVersion, applicationID: applicationID))
        for (index, executor) in executors.enumerated() {
            createExecutorPod(key, application: application, name: executor, id: index + 1, driverPod: driverPod, applicationID: applicationID)
            logs.append(namespace: key.namespace, pod: executor, lines: SparkPiLog.executor(id: index + 1, driverPod: driverPod))
        }
        update(key) { status in
            status["applicationState"] = ["state": "RUNNING"]
            status[path: ["driverInfo", "webUIAddress"]] = .string("10.96.\(Int.random(in: 0...255)).\(Int.random(in: 1...254)):4040")
            status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: JSONValue.string("RUNNING")) }))
        }
        recordEvent(key, type: "Normal", reason: "SparkDriverRunning", message: "Driver \(driverPod) is running")
        for executor in executors {
            recordEvent(key, type: "Normal", reason: "SparkExecutorRunning", message: "Executor \(executor) is running")
        }

        guard await pause(timings.run / 2, driverPod: driverPod, of: key) else { return }
        logs.append(namespace: key.namespace, pod: driverPod, lines: SparkPiLog.driverProgress(executors: instances))
        guard await pause(timings.run / 2, driverPod: driverPod, of: key) else { return }

        let succeeded = outcome != .failed
        // Spark deletes its executor pods when the context stops, unless told to keep them.
        let keepExecutors = application[path: ["spec", "executor", "deleteOnTermination"]] == .bool(false)
        for executor in executors {
            if keepExecutors {
                setPodPhase(key.namespace, executor, succeeded ? "Succeeded" : "Failed")
                logs.finish(namespace: key.namespace, pod: executor)
            } else {
                _ = try? store.delete(.pods, namespace: key.namespace, name: executor)
                logs.remove(namespace: key.namespace, pod: executor)
            }
        }
        logs.append(
            namespace: key.namespace, pod: driverPod,
            lines: succeeded ? SparkPiLog.driverSuccess(app: key.name, namespace: key.namespace) : SparkPiLog.driverFailure())
        logs.finish(namespace: key.namespace, pod: driverPod)
        setPodPhase(key.namespace, driverPod, succeeded ? "Succeeded" : "Failed")
        let executorEnd = succeeded ? "COMPLETED" : "FAILED"
        if succeeded {
            recordEvent(key, type: "Normal", reason: "SparkDriverCompleted", message: "Driver \(driverPod) completed")
            update(key) { status in
                status["applicationState"] = ["state": "SUCCEEDING"]
                status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: JSONValue.string(executorEnd)) }))
            }
            update(key) { status in
                status["applicationState"] = ["state": "COMPLETED"]
                status["terminationTime"] = .string(ObjectStore.timestamp())
            }
            recordEvent(key, type: "Normal", reason: "SparkApplicationCompleted", message: "SparkApplication \(key.name) completed")
        } else {
            let message = "driver container failed with ExitCode: 1, Reason: Error"
            recordEvent(key, type: "Warning", reason: "SparkDriverFailed", message: "Driver \(driverPod) failed")
            update(key) { status in
                status["applicationState"] = ["state": "FAILING", "errorMessage": .string(message)]
                status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: JSONValue.string(executorEnd)) }))
            }
            update(key) { status in
                status["applicationState"] = ["state": "FAILED", "errorMessage": .string(message)]
                status["terminationTime"] = .string(ObjectStore.timestamp())
            }
            recordEvent(key, type: "Warning", reason: "SparkApplicationFailed", message: "SparkApplication \(key.name) failed: \(message)")
        }
        finished(key)
    }

    /// Sleeps while the driver runs, checking every quarter second that its pod still exists; false
    /// when the task was cancelled or the pod is gone (then the application has been failed).
    private func pause(_ duration: Duration, driverPod: String, of key: AppKey) async -> Bool {
        var left = duration
        while left > .zero {
            let slice = min(left, .milliseconds(250))
            guard await pause(slice) else { return false }
            left -= slice
            if (try? store.get(.pods, namespace: key.namespace, name: driverPod)) == nil {
                driverPodDeleted(key, pod: driverPod)
                return false
            }
        }
        return !Task.isCancelled
    }

    /// Sleeps; false when the application's task was cancelled (deleted, or the operator stopped).
    private func pause(_ duration: Duration) async -> Bool {
        if duration > .zero { try? await Task.sleep(for: duration) }
        return !Task.isCancelled
    }

    // MARK: - Store writes

    /// Changes the application's status, if it is still the same object (same uid).
    private func update(_ key: AppKey, _ change: @escaping (inout JSONValue) -> Void) {
        do {
            try store.modify(.sparkApplications, namespace: key.namespace, name: key.name) { object in
                guard object[path: ["metadata", "uid"]]?.stringValue == key.uid else { return }
                var status = object["status"] ?? .object([:])
                change(&status)
                object["status"] = status
            }
        } catch {
            logger.debug("simulated operator: application \(key.namespace)/\(key.name) is gone: \(error)")
        }
    }

    private func recordEvent(_ key: AppKey, type: String, reason: String, message: String) {
        let now = ObjectStore.timestamp()
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(key.name).\(eventSuffix())")],
            "involvedObject": [
                "apiVersion": .string(ResourceType.sparkApplications.apiVersion), "kind": "SparkApplication",
                "name": .string(key.name), "namespace": .string(key.namespace), "uid": .string(key.uid),
            ],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": "spark-operator"], "reportingComponent": "spark-operator", "reportingInstance": "",
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1, "eventTime": nil,
        ]
        storeEvent(event, namespace: key.namespace)
    }

    /// An event about a pod, from the scheduler or the kubelet, as a real cluster records them.
    private func recordPodEvent(
        namespace: String, pod: String, container: String?, component: String, type: String, reason: String, message: String
    ) {
        let now = ObjectStore.timestamp()
        let uid = (try? store.get(.pods, namespace: namespace, name: pod))?[path: ["metadata", "uid"]] ?? ""
        var involved: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "name": .string(pod), "namespace": .string(namespace), "uid": uid,
        ]
        if let container { involved["fieldPath"] = .string("spec.containers{\(container)}") }
        var source: JSONValue = ["component": .string(component)]
        if component == "kubelet" { source["host"] = .string(Self.nodeName) }
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": .string("\(pod).\(eventSuffix())")],
            "involvedObject": involved, "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": source, "reportingComponent": .string(component),
            "reportingInstance": .string(component == "kubelet" ? Self.nodeName : ""),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1, "eventTime": nil,
        ]
        storeEvent(event, namespace: namespace)
    }

    /// Records an event, deleting the oldest the operator recorded beyond the event limit (a real
    /// cluster expires events after an hour; this keeps long benchmarks' memory bounded).
    private func storeEvent(_ event: JSONValue, namespace: String) {
        guard let created = try? store.create(.events, namespace: namespace, object: event) else { return }
        guard let eventLimit else { return }
        recordedEvents.append((namespace, created.name))
        while recordedEvents.count - recordedHead > eventLimit {
            let oldest = recordedEvents[recordedHead]
            recordedHead += 1
            _ = try? store.delete(.events, namespace: oldest.namespace, name: oldest.name)
        }
        if recordedHead > eventLimit {
            recordedEvents.removeFirst(recordedHead)
            recordedHead = 0
        }
    }

    /// Event names end in the hex Unix time in nanoseconds, as client-go's recorder names them, so
    /// lists (in name order) show an object's events in the order they happened.
    private func eventSuffix() -> String {
        let now = UInt64(max(Date().timeIntervalSince1970, 0) * 1_000_000_000)
        lastEventStamp = max(now, lastEventStamp + 1)
        return String(lastEventStamp, radix: 16)
    }

    /// The one simulated node every pod runs on.
    static let nodeName = "sim-node-1"

    /// The driver pod went from Pending to running: the scheduler's and kubelet's events.
    private func recordPodStarted(namespace: String, pod: String, container: String, image: String) {
        recordPodEvent(
            namespace: namespace, pod: pod, container: nil, component: "default-scheduler", type: "Normal", reason: "Scheduled",
            message: "Successfully assigned \(namespace)/\(pod) to \(Self.nodeName)")
        recordPodEvent(
            namespace: namespace, pod: pod, container: container, component: "kubelet", type: "Normal", reason: "Pulled",
            message: "Container image \"\(image)\" already present on machine")
        recordPodEvent(
            namespace: namespace, pod: pod, container: container, component: "kubelet", type: "Normal", reason: "Created",
            message: "Created container \(container)")
        recordPodEvent(
            namespace: namespace, pod: pod, container: container, component: "kubelet", type: "Normal", reason: "Started",
            message: "Started container \(container)")
    }

    private func podObject(
        _ key: AppKey, application: JSONValue, name: String, role: String, applicationID: String, submissionID: String,
        owner: JSONValue
    ) -> JSONValue {
        let sparkVersion = application[path: ["spec", "sparkVersion"]]?.stringValue ?? ""
        let image =
            application[path: ["spec", role, "image"]]?.stringValue ?? application[path: ["spec", "image"]]?.stringValue
            ?? "spark:\(sparkVersion)"
        let container = role == "driver" ? "spark-kubernetes-driver" : "spark-kubernetes-executor"
        var labels: [String: JSONValue] = [
            "spark-role": .string(role), "spark-app-selector": .string(applicationID), "spark-version": .string(sparkVersion),
            "sparkoperator.k8s.io/app-name": .string(key.name), "sparkoperator.k8s.io/launched-by-spark-operator": "true",
            "sparkoperator.k8s.io/submission-id": .string(submissionID),
        ]
        if let extra = application[path: ["spec", role, "labels"]]?.objectValue {
            for (label, value) in extra { labels[label] = value }
        }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(JSONObject(labels)), "ownerReferences": [owner]],
            "spec": [
                "containers": [["name": .string(container), "image": .string(image)]], "restartPolicy": "Never",
                "serviceAccountName": application[path: ["spec", role, "serviceAccount"]] ?? "default",
            ],
            "status": ["phase": "Pending", "conditions": [["type": "PodScheduled", "status": "False"]]],
        ]
    }

    private func createDriverPod(_ key: AppKey, application: JSONValue, name: String, applicationID: String, submissionID: String) {
        let owner: JSONValue = [
            "apiVersion": .string(ResourceType.sparkApplications.apiVersion), "kind": "SparkApplication",
            "name": .string(key.name), "uid": .string(key.uid), "controller": true, "blockOwnerDeletion": true,
        ]
        let pod = podObject(
            key, application: application, name: name, role: "driver", applicationID: applicationID,
            submissionID: submissionID, owner: owner)
        do {
            try store.create(.pods, namespace: key.namespace, object: pod)
        } catch {
            logger.debug("simulated operator: driver pod \(name) not created: \(error)")
        }
    }

    private func createExecutorPod(_ key: AppKey, application: JSONValue, name: String, id: Int, driverPod: String, applicationID: String) {
        let driverUID = (try? store.get(.pods, namespace: key.namespace, name: driverPod))?[path: ["metadata", "uid"]] ?? ""
        let owner: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "name": .string(driverPod), "uid": driverUID, "controller": true,
        ]
        let submissionID = application[path: ["status", "submissionID"]]?.stringValue ?? ""
        var pod = podObject(
            key, application: application, name: name, role: "executor", applicationID: applicationID,
            submissionID: submissionID, owner: owner)
        pod[path: ["metadata", "labels", "spark-exec-id"]] = .string(String(id))
        pod[path: ["status", "phase"]] = "Running"
        pod[path: ["spec", "nodeName"]] = .string(Self.nodeName)
        pod[path: ["status", "conditions"]] = [["type": "Ready", "status": "True"]]
        _ = try? store.create(.pods, namespace: key.namespace, object: pod)
    }

    private func setPodPhase(_ namespace: String, _ pod: String, _ phase: String) {
        _ = try? store.modify(.pods, namespace: namespace, name: pod) { object in
            object[path: ["status", "phase"]] = .string(phase)
            let now = ObjectStore.timestamp()
            switch phase {
            case "Running":
                object[path: ["spec", "nodeName"]] = .string(Self.nodeName)
                object[path: ["status", "startTime"]] = .string(now)
                object[path: ["status", "conditions"]] = [["type": "Ready", "status": "True"]]
            default:
                object[path: ["status", "conditions"]] = [["type": "Ready", "status": "False", "reason": "PodCompleted"]]
            }
        }
    }

    /// Garbage collection of a deleted application's pods (the real API server's GC does it through
    /// ownerReferences; here the operator does it for the simulated cluster).
    private func cleanUpPods(of key: AppKey) {
        let filter = ObjectFilter(
            namespace: key.namespace, labels: LabelSelector(requirements: [.equals("sparkoperator.k8s.io/app-name", key.name)]))
        guard let pods = try? store.list(.pods, filter: filter).items else { return }
        for pod in pods {
            _ = try? store.delete(.pods, namespace: key.namespace, name: pod.name)
            logs.remove(namespace: key.namespace, pod: pod.name)
        }
    }

    static func driverPodName(_ application: String, _ object: JSONValue) -> String {
        object[path: ["spec", "driver", "podName"]]?.stringValue
            ?? object[path: ["spec", "sparkConf", "spark.kubernetes.driver.pod.name"]]?.stringValue
            ?? "\(application)-driver"
    }

    static func randomHex(_ count: Int) -> String {
        (0..<count).map { _ in String(Int.random(in: 0..<16), radix: 16) }.joined()
    }
}
