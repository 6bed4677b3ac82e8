import Foundation
import GatewayCore
import Persistence

/// What the monitor reads from one `SparkApplication` object: its state, the version it was seen at,
/// Spark's app id, when it ended, its resources and its time limit.
struct ApplicationObservation: Sendable, Equatable {
    var name: String
    /// `metadata.resourceVersion` as a number (0 when absent or not numeric): the store ignores an
    /// update whose version is not above the last applied one, so replays never add history rows.
    var version: Int64
    /// The operator state as it is (`""` before the operator acted; unknown states kept verbatim).
    var state: String
    var appId: String?
    /// `status.terminationTime`.
    var terminationTime: Date?
    /// The driver pod's name, for its start time.
    var driverPodName: String?
    /// The executor pods the operator reported (`status.executorState`), for archiving their logs.
    var executorPodNames: [String]
    var resources: Resources
    /// The `maxRunningMillis` label, else BPG's 12 hours.
    var maxRunningMillis: Int64
    /// Whether the gateway created it (its managed-by label); others are BPG's, adopted.
    var managedByGateway: Bool
    /// What status is computed from beyond the state, as the store keeps it.
    var details: ObservedApplication

    /// Driver and executor sizes from the spec, as the store's whole-number columns hold them.
    struct Resources: Sendable, Equatable {
        var driverCores: Int?
        var driverMemoryMb: Int?
        var executorInstances: Int?
        var executorCores: Int?
        var executorMemoryMb: Int?
    }

    init?(_ application: SparkApplication) {
        guard let name = application.metadata.name, !name.isEmpty else { return nil }
        self.name = name
        version = Int64(application.metadata.resourceVersion ?? "") ?? 0
        state = application.status?.applicationState?.state.rawValue ?? ""
        appId = application.status?.sparkApplicationId.flatMap { $0.isEmpty ? nil : $0 }
        terminationTime = Timestamp.epochMillis(application.status?.terminationTime).map {
            Timestamp.date(epochMillis: $0)
        }
        driverPodName = application.status?.driverInfo?.podName
        executorPodNames = application.status?.executorState.map { $0.keys.sorted() } ?? []
        let spec = application.spec
        resources = Resources(
            driverCores: Self.cores(request: spec.driver.coreRequest, cores: spec.driver.cores),
            driverMemoryMb: Self.megabytes(spec.driver.memory),
            executorInstances: spec.executor.instances,
            executorCores: Self.cores(request: spec.executor.coreRequest, cores: spec.executor.cores),
            executorMemoryMb: Self.megabytes(spec.executor.memory))
        let label = application.metadata.labels?[GatewayLabels.maxRunningMillis]
        maxRunningMillis = label.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
            ?? GetSubmissionStatusResponse.defaultMaxRunningMillis
        let labels = application.metadata.labels ?? [:]
        managedByGateway = labels[GatewayLabels.managedBy] == GatewayLabels.managedByValue
        let status = application.status
        details = ObservedApplication(
            submissionId: name, version: version,
            createdMillis: Timestamp.epochMillis(application.metadata.creationTimestamp),
            terminationMillis: Timestamp.epochMillis(status?.terminationTime),
            executionAttempts: status?.executionAttempts, submissionAttempts: status?.submissionAttempts,
            errorMessage: status?.applicationState?.errorMessage, maxRunningMillis: label.flatMap { Int64($0) },
            driverPodName: status?.driverInfo?.podName)
        if !managedByGateway {
            // BPG's application: the row may be missing (BPG's database writes were off or failed)
            // and lacks the gateway's columns; its labels say whose it is.
            let queue = labels[GatewayLabels.queue].map { $0.hasPrefix("root.") ? String($0.dropFirst(5)) : $0 }
            // The cluster is the monitor's, which fills it in before writing.
            details.adoption = ObservedApplication.Adoption(
                user: labels[GatewayLabels.proxyUser], queue: queue.flatMap { $0.isEmpty ? nil : $0 }, clusterId: "",
                namespace: application.metadata.namespace ?? "",
                createdTime: details.createdMillis.map(Timestamp.date(epochMillis:)) ?? Date())
        }
    }

    /// Whether the observed details differ from `other` in anything but the version.
    func detailsDiffer(from other: ObservedApplication?) -> Bool {
        guard var other else { return true }
        other.version = details.version
        other.adoption = details.adoption
        return other != details
    }

    /// Whether the operator will not change the application any more (`COMPLETED`, `FAILED`, or a
    /// state the store freezes). The operator's `SUBMISSION_FAILED` is not final: it moves on to
    /// `FAILED` (or retries), and the record follows it so status from the record stays the object's.
    var isFinished: Bool { SubmissionState.isTerminal(state) && state != SubmissionState.submissionFailed }

    /// Whether the driver runs (the state the time limit applies to).
    var isRunning: Bool { state == ApplicationState.Kind.running.rawValue }

    /// Whether the driver has started by this state (so start time and resources can be recorded).
    var driverStarted: Bool { Self.driverHasRun(state: state) }

    /// Whether an application in `state` has (or had) a running driver.
    static func driverHasRun(state: String) -> Bool {
        ["RUNNING", "SUCCEEDING", "FAILING", "COMPLETED", "FAILED"].contains(state)
    }

    /// States in which the operator has cleared the last attempt (`sparkApplicationId`, `driverInfo`,
    /// `executorState`, the error; a rerun also the termination time) and not started the next: a
    /// status or driver answer from the record shows none of the old attempt's, as the object does.
    /// The record keeps the old values until the next attempt's arrive (its columns only fill).
    static let attemptClearedStates: Set<String> = ["PENDING_RERUN", "SUSPENDED", "RESUMING"]

    /// Created but not running yet: counted as backlog for routing.
    static let pendingStates: Set<String> = ["", "SUBMITTED", "PENDING_RERUN", "RESUMING"]
    /// Holding cluster resources.
    static let runningStates: Set<String> = ["RUNNING", "SUCCEEDING", "FAILING"]

    /// Cores as the store's integer column holds them: the Kubernetes request when set (`500m` is
    /// half a core, so it takes one whole core, rounded up), else Spark's `cores`.
    static func cores(request: String?, cores: Int?) -> Int? {
        if let request, let quantity = try? Quantity(parsing: request) {
            return Int(clamping: max(quantity.roundedUpUnits, 0))
        }
        return cores
    }

    /// Spark memory (`512m` is 512 MiB, `2g`, `2Gi`) in whole MiB, rounded up.
    static func megabytes(_ text: String?) -> Int? {
        guard let text, let size = try? MemorySize(parsing: text) else { return nil }
        return Int(clamping: size.mebibytes)
    }

    /// The job info row for a driver that started at `start`.
    func jobInfo(startTime: Date, appName: String?) -> JobInfo {
        JobInfo(
            startTime: startTime, driverCores: resources.driverCores, driverMemoryMb: resources.driverMemoryMb,
            executorInstances: resources.executorInstances, executorCores: resources.executorCores,
            executorMemoryMb: resources.executorMemoryMb, appName: appName)
    }
}
