import Foundation
import JSON
import Logging

/// A simulated Kubeflow Spark operator. It watches SparkApplications in the store and walks each one
/// through the real operator's states, writing `status` like the real one, creating the driver and
/// executor pods with their logs, and recording core/v1 Events about the application. Every status
/// change is a store write, so it bumps the resourceVersion and reaches watchers as MODIFIED.
///
/// The real operator's state machine (docs/simulator.md, "The Spark operator"):
///
///     "" ──submit──▶ SUBMITTED ──driver runs──▶ RUNNING ──driver ends──▶ SUCCEEDING ──▶ COMPLETED
///      │               ▲    ▲                      │                         │ (Always)
///      │               │    │                      ▼                         ▼
///      │               │    └──── PENDING_RERUN ◀── FAILING (retries left) ◀─┘ PENDING_RERUN
///      │               │                            │ (none left)
///      └──▶ SUBMISSION_FAILED ──(retries left)──────┘ ▼
///                     └──(none left)──────────▶ FAILED
///     spec.suspend: any live state ──▶ SUSPENDING ──▶ SUSPENDED ──(suspend false)──▶ RESUMING ──▶ SUBMITTED
///
/// With a capacity, at most that many applications run at once; the rest stay SUBMITTED (their driver
/// pods Pending) in arrival order until a running one ends or is deleted.
actor SimulatedOperator {
    typealias OutcomeProvider =
        @Sendable (_ namespace: String, _ name: String, _ application: JSONValue, _ attempt: Int) -> SimulatedOutcome

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
    /// Each application's current work: its lifecycle, or a suspension in progress.
    private var tasks: [AppKey: (id: Int, task: Task<Void, Never>)] = [:]
    private var nextTaskID = 0
    /// Applications being suspended (their task is the suspension's).
    private var suspending: Set<AppKey> = []
    private var running: Set<AppKey> = []
    private var waiting: [AppKey] = []
    private var slotWaiters: [AppKey: CheckedContinuation<Bool, Never>] = [:]
    private var stopped = false
    private var lastEventStamp: UInt64 = 0
    private var nextPodIP = 0
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
        for entry in tasks.values { entry.task.cancel() }
        for waiter in slotWaiters.values { waiter.resume(returning: false) }
        slotWaiters.removeAll()
        for entry in tasks.values { await entry.task.value }
        tasks.removeAll()
        running.removeAll()
        waiting.removeAll()
        suspending.removeAll()
    }

    /// Changes how many applications may run at once (nil: unlimited). Raising it admits waiting
    /// applications at once; lowering it lets running ones finish.
    func setCapacity(_ capacity: Int?) {
        self.capacity = capacity.map { max($0, 0) }
        admitWaiting()
    }

    /// How many applications hold a running slot, and how many wait for one.
    var load: (running: Int, waiting: Int) { (running.count, waiting.count) }

    private static let terminated: Set<String> = ["COMPLETED", "FAILED"]

    private func handle(_ event: WatchEvent) {
        let object = event.object
        guard let uid = object[path: ["metadata", "uid"]]?.stringValue else { return }
        let key = AppKey(namespace: object.namespace, name: object.name, uid: uid)
        let state = object[path: ["status", "applicationState", "state"]]?.stringValue ?? ""
        let suspend = object[path: ["spec", "suspend"]] == .bool(true)
        switch event.type {
        case .added, .modified:
            if suspend {
                // The real operator suspends from any state but the terminated and suspend ones.
                guard !Self.terminated.contains(state), state != "SUSPENDED", state != "SUSPENDING" || tasks[key] == nil,
                    !suspending.contains(key)
                else { return }
                if state.isEmpty, event.type == .added, tasks[key] == nil {
                    recordEvent(key, type: "Normal", reason: "SparkApplicationAdded",
                        message: "SparkApplication \(key.name) was added, enqueuing it for submission")
                }
                beginSuspension(key)
            } else if state == "SUSPENDED", tasks[key] == nil {
                startTask(key) { await $0.resume(key) }
            } else if state.isEmpty, tasks[key] == nil {
                // New applications only: one the store already shows in a state was handled before a restart.
                if event.type == .added {
                    recordEvent(key, type: "Normal", reason: "SparkApplicationAdded",
                        message: "SparkApplication \(key.name) was added, enqueuing it for submission")
                }
                startTask(key) { await $0.lifecycle(key) }
            }
        case .deleted:
            forget(key)
            cleanUpPods(of: key)
        default:
            break
        }
    }

    /// Runs `work` as the application's current task (replacing the entry, not cancelling it).
    private func startTask(_ key: AppKey, _ work: @escaping @Sendable (SimulatedOperator) async -> Void) {
        nextTaskID += 1
        let id = nextTaskID
        let task = Task { [weak self] in
            guard let self else { return }
            await work(self)
            await self.taskEnded(key, id: id)
        }
        tasks[key] = (id, task)
    }

    private func taskEnded(_ key: AppKey, id: Int) {
        if tasks[key]?.id == id { tasks[key] = nil }
    }

    /// Ends whatever the application was doing and frees its slot (deleted, or being suspended).
    private func forget(_ key: AppKey) {
        tasks.removeValue(forKey: key)?.task.cancel()
        suspending.remove(key)
        releaseWaiter(key)
        releaseSlot(key)
    }

    // MARK: - Capacity

    private var hasRoom: Bool { capacity.map { running.count < $0 } ?? true }

    /// Waits, in arrival order, for a running slot (the driver pod stays Pending and the scheduler
    /// says why, as on a full cluster). False when the task was cancelled meanwhile.
    private func acquireSlot(_ key: AppKey, driverPod: String) async -> Bool {
        if Task.isCancelled { return false }
        if waiting.isEmpty, hasRoom {
            running.insert(key)
            return true
        }
        recordPodEvent(
            namespace: key.namespace, pod: driverPod, container: nil, component: "default-scheduler", type: "Warning",
            reason: "FailedScheduling",
            message: "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.append(key)
                slotWaiters[key] = continuation
            }
        } onCancel: {
            Task { await self.releaseWaiter(key) }
        }
    }

    private func releaseWaiter(_ key: AppKey) {
        guard let waiter = slotWaiters.removeValue(forKey: key) else { return }
        waiting.removeAll { $0 == key }
        waiter.resume(returning: false)
    }

    private func releaseSlot(_ key: AppKey) {
        if running.remove(key) != nil { admitWaiting() }
    }

    private func admitWaiting() {
        while hasRoom, !waiting.isEmpty {
            let next = waiting.removeFirst()
            guard let waiter = slotWaiters.removeValue(forKey: next) else { continue }
            running.insert(next)
            waiter.resume(returning: true)
        }
    }

    // MARK: - The lifecycle (one task per application; store writes fail harmlessly once deleted)

    /// Submits, runs and, as `spec.restartPolicy` says, reruns the application until it ends or its
    /// task is cancelled (deleted, suspended, the operator stopped).
    private func lifecycle(_ key: AppKey) async {
        while true {
            guard await pause(timings.submission), let application = current(key) else { return }
            let policy = RestartPolicy(application)
            let attempt = (application[path: ["status", "submissionAttempts"]]?.intValue ?? 0) + 1
            let attemptOutcome = outcome(key.namespace, key.name, application, attempt)
            let submittedAt = ContinuousClock.now
            if attemptOutcome == .submissionFailed {
                let message = "failed to run spark-submit: simulated submission failure"
                submissionFailed(key, application, message: message)
                if policy.retriesSubmission(afterAttempts: attempt) {
                    // The operator submits again straight from SUBMISSION_FAILED once the interval is due.
                    guard await pause(until: submittedAt + timings.retryIntervalUnit * (policy.submissionRetryInterval * attempt))
                    else { return }
                    continue
                }
                guard await pause(timings.submission) else { return }
                update(key) { status in
                    status["applicationState"] = ["state": "FAILED", "errorMessage": .string(message)]
                    status["terminationTime"] = .string(ObjectStore.timestamp())
                }
                recordEvent(key, type: "Warning", reason: "SparkApplicationFailed", message: "SparkApplication \(key.name) failed: \(message)")
                return
            }
            let driverPod = submit(key, application)
            guard await acquireSlot(key, driverPod: driverPod) else { return }
            let ending = await runAttempt(key, driverPod: driverPod, attempt: attempt)
            // A cancelled task's slot was released by whoever cancelled it (and may be a new task's by now).
            if !Task.isCancelled { releaseSlot(key) }
            guard let ending, let now = current(key) else { return }
            let executions = now[path: ["status", "executionAttempts"]]?.intValue ?? 1
            switch ending {
            case .succeeded:
                if policy.type == "Always" {
                    rerun(key, driverPod: driverPod)
                    continue
                }
                update(key) { status in status["applicationState"] = ["state": "COMPLETED"] }
                recordEvent(key, type: "Normal", reason: "SparkApplicationCompleted", message: "SparkApplication \(key.name) completed")
                return
            case .failed(let message):
                if policy.retriesFailure(afterExecutions: executions) {
                    // Linear backoff from the last submission: interval × submission attempts.
                    guard await pause(until: submittedAt + timings.retryIntervalUnit * (policy.failureRetryInterval * attempt)) else { return }
                    rerun(key, driverPod: driverPod)
                    continue
                }
                update(key) { status in
                    status["applicationState"] = ["state": "FAILED", "errorMessage": .string(message)]
                }
                recordEvent(key, type: "Warning", reason: "SparkApplicationFailed", message: "SparkApplication \(key.name) failed: \(message)")
                return
            }
        }
    }

    /// How an attempt's driver ended.
    private enum Ending {
        case succeeded
        case failed(String)
    }

    /// The application as stored, if it is still the same object.
    private func current(_ key: AppKey) -> JSONValue? {
        guard let application = try? store.get(.sparkApplications, namespace: key.namespace, name: key.name),
            application[path: ["metadata", "uid"]]?.stringValue == key.uid
        else { return nil }
        return application
    }

    /// spark-submit failed: SUBMISSION_FAILED, with the attempt counted (not as an execution).
    private func submissionFailed(_ key: AppKey, _ application: JSONValue, message: String) {
        let now = ObjectStore.timestamp()
        update(key) { status in
            status["applicationState"] = ["state": "SUBMISSION_FAILED", "errorMessage": .string(message)]
            status["submissionAttempts"] = .int((status["submissionAttempts"]?.intValue ?? 0) + 1)
            status["lastSubmissionAttemptTime"] = .string(now)
            status["submissionID"] = .string(UUID().uuidString.lowercased())
        }
        recordEvent(
            key, type: "Warning", reason: "SparkApplicationSubmissionFailed",
            message: "failed to submit SparkApplication \(key.name): \(message)")
    }

    /// spark-submit ran: the driver pod exists (Pending), SUBMITTED, one more submission and execution.
    private func submit(_ key: AppKey, _ application: JSONValue) -> String {
        let now = ObjectStore.timestamp()
        let submissionID = UUID().uuidString.lowercased()
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
        return driverPod
    }

    /// The operator's step from SUCCEEDING or FAILING to a new attempt: the old driver (and with it its
    /// executors) deleted, the attempt's status cleared, PENDING_RERUN. Attempt counters stay.
    private func rerun(_ key: AppKey, driverPod: String) {
        deleteSparkPods(key, driverPod: driverPod)
        update(key) { status in
            status["applicationState"] = ["state": "PENDING_RERUN"]
            Self.resetAttempt(&status)
            status["terminationTime"] = nil
        }
        recordEvent(key, type: "Warning", reason: "SparkApplicationPendingRerun", message: "SparkApplication \(key.name) is pending rerun")
    }

    /// What the operator clears when an attempt's resources are gone (rerun, suspension).
    private static func resetAttempt(_ status: inout JSONValue) {
        status["sparkApplicationId"] = nil
        status["driverInfo"] = .object([:])
        status["executorState"] = nil
        status[path: ["applicationState", "errorMessage"]] = nil
    }

    /// Runs one attempt's driver: RUNNING, executors, the job, and SUCCEEDING or FAILING (with
    /// `terminationTime`, when the driver terminated). Nil when the task was cancelled.
    private func runAttempt(_ key: AppKey, driverPod: String, attempt: Int) async -> Ending? {
        guard await pause(timings.start), let application = current(key) else { return nil }
        guard (try? store.get(.pods, namespace: key.namespace, name: driverPod)) != nil else {
            return driverPodGone(key, driverPod: driverPod)
        }
        let applicationID = application[path: ["status", "sparkApplicationId"]]?.stringValue ?? ""
        let sparkVersion = application[path: ["spec", "sparkVersion"]]?.stringValue ?? "3.5.3"
        let instances = min(max(application[path: ["spec", "executor", "instances"]]?.intValue ?? 1, 1), 20)
        let prefix = "\(key.name)-\(applicationID.dropFirst(6).prefix(8))"
        let executors = (1...instances).map { "\(prefix)-exec-\($0)" }

        setPodRunning(key.namespace, driverPod)
        let driverImage =
            (try? store.get(.pods, namespace: key.namespace, name: driverPod))?[path: ["spec", "containers"]]?.arrayValue?.first?["image"]?
            .stringValue ?? ""
        recordPodStarted(namespace: key.namespace, pod: driverPod, container: "spark-kubernetes-driver", image: driverImage)
        logs.append(namespace: key.namespace, pod: driverPod, lines: SparkPiLog.driverStart(
            app: key.name, namespace: key.namespace, sparkVersion: sparkVersion, applicationID: applicationID))
        recordEvent(key, type: "Normal", reason: "SparkDriverRunning", message: "Driver \(driverPod) is running")
        for (index, executor) in executors.enumerated() {
            createExecutorPod(key, application: application, name: executor, id: index + 1, driverPod: driverPod, applicationID: applicationID)
            recordEvent(key, type: "Normal", reason: "SparkExecutorPending", message: "Executor \(executor) is pending")
        }
        for (index, executor) in executors.enumerated() {
            setPodRunning(key.namespace, executor)
            logs.append(namespace: key.namespace, pod: executor, lines: SparkPiLog.executor(id: index + 1, driverPod: driverPod))
        }
        update(key) { status in
            status["applicationState"] = ["state": "RUNNING"]
            status[path: ["driverInfo", "webUIAddress"]] = .string("10.96.\(Int.random(in: 0...255)).\(Int.random(in: 1...254)):4040")
            status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: JSONValue.string("RUNNING")) }))
        }
        for executor in executors {
            recordEvent(key, type: "Normal", reason: "SparkExecutorRunning", message: "Executor \(executor) is running")
        }

        switch await pause(timings.run / 2, driverPod: driverPod, of: key) {
        case .cancelled: return nil
        case .podGone: return driverPodGone(key, driverPod: driverPod)
        case .elapsed: break
        }
        logs.append(namespace: key.namespace, pod: driverPod, lines: SparkPiLog.driverProgress(executors: instances))
        switch await pause(timings.run / 2, driverPod: driverPod, of: key) {
        case .cancelled: return nil
        case .podGone: return driverPodGone(key, driverPod: driverPod)
        case .elapsed: break
        }

        let succeeded = outcome(key.namespace, key.name, application, attempt) != .failed
        // Spark deletes its executor pods when the context stops, unless told to keep them.
        let keepExecutors = application[path: ["spec", "executor", "deleteOnTermination"]] == .bool(false)
        for executor in executors {
            if keepExecutors {
                setPodTerminated(key.namespace, executor, exitCode: succeeded ? 0 : 1)
                logs.finish(namespace: key.namespace, pod: executor)
                if succeeded {
                    recordEvent(key, type: "Normal", reason: "SparkExecutorCompleted", message: "Executor \(executor) completed")
                } else {
                    recordEvent(
                        key, type: "Warning", reason: "SparkExecutorFailed",
                        message: "Executor \(executor) failed with ExitCode: 1, Reason: Error, Pod Message: ")
                }
            } else {
                _ = try? store.delete(.pods, namespace: key.namespace, name: executor)
                logs.remove(namespace: key.namespace, pod: executor)
            }
        }
        logs.append(
            namespace: key.namespace, pod: driverPod,
            lines: succeeded ? SparkPiLog.driverSuccess(app: key.name, namespace: key.namespace) : SparkPiLog.driverFailure())
        logs.finish(namespace: key.namespace, pod: driverPod)
        setPodTerminated(key.namespace, driverPod, exitCode: succeeded ? 0 : 1)
        let executorEnd: JSONValue = succeeded ? "COMPLETED" : "FAILED"
        let terminated = ObjectStore.timestamp()
        if succeeded {
            recordEvent(key, type: "Normal", reason: "SparkDriverCompleted", message: "Driver \(driverPod) completed")
            update(key) { status in
                status["applicationState"] = ["state": "SUCCEEDING"]
                status["terminationTime"] = .string(terminated)
                status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: executorEnd) }))
            }
            return .succeeded
        }
        let message = "driver container failed with ExitCode: 1, Reason: Error"
        recordEvent(key, type: "Warning", reason: "SparkDriverFailed", message: "Driver \(driverPod) failed")
        update(key) { status in
            status["applicationState"] = ["state": "FAILING", "errorMessage": .string(message)]
            status["terminationTime"] = .string(terminated)
            status["executorState"] = .object(JSONObject(executors.map { (key: $0, value: executorEnd) }))
        }
        return .failed(message)
    }

    /// The real operator's reaction to the driver pod of a running application gone (someone deleted
    /// it, e.g. a gateway enforcing a time limit): FAILING with "driver pod not found" and the
    /// termination time; its executors go with the driver (they are the driver pod's dependents).
    private func driverPodGone(_ key: AppKey, driverPod: String) -> Ending {
        let message = "driver pod not found"
        let executorNames = deleteSparkPods(key, driverPod: driverPod)
        update(key) { status in
            status["applicationState"] = ["state": "FAILING", "errorMessage": .string(message)]
            status["terminationTime"] = .string(ObjectStore.timestamp())
            if !executorNames.isEmpty {
                status["executorState"] = .object(JSONObject(executorNames.map { (key: $0, value: JSONValue.string("FAILED")) }))
            }
        }
        return .failed(message)
    }

    /// Deletes the attempt's driver pod and its executors (what the operator's delete and the garbage
    /// collector do); returns the executors' names.
    @discardableResult
    private func deleteSparkPods(_ key: AppKey, driverPod: String) -> [String] {
        let executors = ObjectFilter(
            namespace: key.namespace,
            labels: LabelSelector(requirements: [.equals("sparkoperator.k8s.io/app-name", key.name), .equals("spark-role", "executor")]))
        let executorNames = ((try? store.list(.pods, filter: executors).items) ?? []).map(\.name)
        for executor in executorNames {
            _ = try? store.delete(.pods, namespace: key.namespace, name: executor)
            logs.remove(namespace: key.namespace, pod: executor)
        }
        _ = try? store.delete(.pods, namespace: key.namespace, name: driverPod)
        logs.remove(namespace: key.namespace, pod: driverPod)
        return executorNames
    }

    // MARK: - Suspend and resume

    /// `spec.suspend: true`: the current work stops, SUSPENDING, the pods go, SUSPENDED (the attempt's
    /// status cleared; counters and termination time kept).
    private func beginSuspension(_ key: AppKey) {
        tasks.removeValue(forKey: key)?.task.cancel()
        releaseWaiter(key)
        releaseSlot(key)
        suspending.insert(key)
        startTask(key) { await $0.suspend(key) }
    }

    private func suspend(_ key: AppKey) async {
        update(key) { status in status["applicationState"] = ["state": "SUSPENDING"] }
        recordEvent(key, type: "Warning", reason: "SparkApplicationSuspending", message: "SparkApplication \(key.name) is suspending")
        guard await pause(timings.submission), let application = current(key) else { return }
        let driverPod =
            application[path: ["status", "driverInfo", "podName"]]?.stringValue ?? Self.driverPodName(key.name, application)
        deleteSparkPods(key, driverPod: driverPod)
        // Cleared before the write, so the watch event of SUSPENDED finds no task and may resume at once.
        suspending.remove(key)
        tasks[key] = nil
        update(key) { status in
            status["applicationState"] = ["state": "SUSPENDED"]
            Self.resetAttempt(&status)
        }
        recordEvent(key, type: "Warning", reason: "SparkApplicationSuspended", message: "SparkApplication \(key.name) is suspended")
    }

    /// `spec.suspend` cleared on a SUSPENDED application: RESUMING, then a new submission.
    private func resume(_ key: AppKey) async {
        update(key) { status in status["applicationState"] = ["state": "RESUMING"] }
        recordEvent(key, type: "Warning", reason: "SparkApplicationResuming", message: "SparkApplication \(key.name) is resuming")
        await lifecycle(key)
    }

    // MARK: - Pauses

    private enum PauseResult { case elapsed, cancelled, podGone }

    /// Sleeps while the driver runs, checking every quarter second that its pod still exists.
    private func pause(_ duration: Duration, driverPod: String, of key: AppKey) async -> PauseResult {
        var left = duration
        while left > .zero {
            let slice = min(left, .milliseconds(250))
            guard await pause(slice) else { return .cancelled }
            left -= slice
            if (try? store.get(.pods, namespace: key.namespace, name: driverPod)) == nil { return .podGone }
        }
        return Task.isCancelled ? .cancelled : .elapsed
    }

    /// Sleeps until `deadline`; false when the task was cancelled.
    private func pause(until deadline: ContinuousClock.Instant) async -> Bool {
        let left = deadline - ContinuousClock.now
        return await pause(max(left, .zero))
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
    /// Its address (pods' `hostIP`).
    static let nodeIP = "10.0.0.11"

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
            "spark-app-name": .string(Self.sparkAppNameLabel(key.name)),
            "sparkoperator.k8s.io/app-name": .string(key.name), "sparkoperator.k8s.io/launched-by-spark-operator": "true",
            "sparkoperator.k8s.io/submission-id": .string(submissionID),
        ]
        if let extra = application[path: ["spec", role, "labels"]]?.objectValue {
            for (label, value) in extra { labels[label] = value }
        }
        let resources = PodResources(application: application, role: role)
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "labels": .object(JSONObject(labels)), "ownerReferences": [owner]],
            "spec": [
                "containers": [["name": .string(container), "image": .string(image), "resources": resources.json]],
                "restartPolicy": "Never",
                "serviceAccountName": application[path: ["spec", role, "serviceAccount"]] ?? "default",
            ],
            "status": [
                "phase": "Pending", "qosClass": .string(resources.qosClass),
                "conditions": [["type": "PodScheduled", "status": "False", "reason": "Unschedulable"]],
            ],
        ]
    }

    /// Spark's `spark-app-name` label: the application name as a label value (lower case, at most 63
    /// characters, alphanumeric at both ends).
    static func sparkAppNameLabel(_ name: String) -> String {
        let allowed = name.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? $0 : "-" }
        var value = String(String(allowed).prefix(63))
        while let last = value.last, !(last.isLetter || last.isNumber) { value.removeLast() }
        while let first = value.first, !(first.isLetter || first.isNumber) { value.removeFirst() }
        return value
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
            // A pod left from an attempt whose cleanup raced with a delete would make the create fail.
            _ = try? store.delete(.pods, namespace: key.namespace, name: name)
            try store.create(.pods, namespace: key.namespace, object: pod)
        } catch {
            logger.debug("simulated operator: driver pod \(name) not created: \(error)")
        }
    }

    /// An executor pod, Pending until `setPodRunning`.
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
        _ = try? store.create(.pods, namespace: key.namespace, object: pod)
    }

    /// Scheduled and started: node, IPs, start time, a running container, Ready.
    private func setPodRunning(_ namespace: String, _ pod: String) {
        nextPodIP += 1
        let podIP = "10.244.\(nextPodIP / 250 % 256).\(nextPodIP % 250 + 2)"
        _ = try? store.modify(.pods, namespace: namespace, name: pod) { object in
            let now = ObjectStore.timestamp()
            let container = object[path: ["spec", "containers"]]?.arrayValue?.first
            object[path: ["spec", "nodeName"]] = .string(Self.nodeName)
            object[path: ["status", "phase"]] = "Running"
            object[path: ["status", "startTime"]] = .string(now)
            object[path: ["status", "podIP"]] = .string(podIP)
            object[path: ["status", "podIPs"]] = [["ip": .string(podIP)]]
            object[path: ["status", "hostIP"]] = .string(Self.nodeIP)
            object[path: ["status", "conditions"]] = [
                ["type": "PodScheduled", "status": "True"], ["type": "Initialized", "status": "True"],
                ["type": "ContainersReady", "status": "True"], ["type": "Ready", "status": "True"],
            ]
            object[path: ["status", "containerStatuses"]] = [[
                "name": container?["name"] ?? "spark", "image": container?["image"] ?? "", "imageID": "",
                "containerID": .string("containerd://" + Self.randomHex(64)), "ready": true, "started": true, "restartCount": 0,
                "state": ["running": ["startedAt": .string(now)]],
            ]]
        }
    }

    /// The container exited: Succeeded (exit 0, `Completed`) or Failed (exit 1, `Error`).
    private func setPodTerminated(_ namespace: String, _ pod: String, exitCode: Int) {
        _ = try? store.modify(.pods, namespace: namespace, name: pod) { object in
            let now = ObjectStore.timestamp()
            object[path: ["status", "phase"]] = .string(exitCode == 0 ? "Succeeded" : "Failed")
            object[path: ["status", "conditions"]] = [
                ["type": "PodScheduled", "status": "True"], ["type": "Initialized", "status": "True"],
                ["type": "ContainersReady", "status": "False", "reason": "PodCompleted"],
                ["type": "Ready", "status": "False", "reason": "PodCompleted"],
            ]
            guard var status = object[path: ["status", "containerStatuses"]]?.arrayValue?.first else { return }
            let started = status[path: ["state", "running", "startedAt"]] ?? .string(now)
            status["ready"] = false
            status["started"] = false
            status["state"] = [
                "terminated": [
                    "exitCode": .int(exitCode), "reason": .string(exitCode == 0 ? "Completed" : "Error"),
                    "startedAt": started, "finishedAt": .string(now), "containerID": status["containerID"] ?? "",
                ]
            ]
            object[path: ["status", "containerStatuses"]] = [status]
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
