import Foundation

/// What the monitor saw of one `SparkApplication` beyond its state: every input of BPG's status
/// response that the row's BPG columns cannot hold, so status can be answered from the row exactly
/// as from the object (docs/monitor.md, "What it writes").
///
/// Times are epoch milliseconds as the object carries them (Kubernetes writes whole seconds), so
/// nothing is rounded on the way through the store.
public struct ObservedApplication: Sendable, Equatable, Hashable {
    public var submissionId: String
    /// The object's `metadata.resourceVersion`: an observation older than the stored one is ignored.
    public var version: Int64
    /// `metadata.creationTimestamp` (BPG's `creationTime`; the row's `created_time` is the gateway's insert).
    public var createdMillis: Int64?
    /// `status.terminationTime`.
    public var terminationMillis: Int64?
    /// `status.executionAttempts` (nil when the operator has not written it).
    public var executionAttempts: Int?
    /// `status.submissionAttempts`.
    public var submissionAttempts: Int?
    /// `status.applicationState.errorMessage`, as the operator wrote it.
    public var errorMessage: String?
    /// The `maxRunningMillis` label as a number; nil when absent or not a whole number.
    public var maxRunningMillis: Int64?
    /// `status.driverInfo.podName`.
    public var driverPodName: String?
    /// Set for an application this gateway did not create (BPG's): the row is created when missing,
    /// and the columns the gateway needs to list and route it are filled where empty.
    public var adoption: Adoption?

    public init(
        submissionId: String, version: Int64, createdMillis: Int64? = nil, terminationMillis: Int64? = nil,
        executionAttempts: Int? = nil, submissionAttempts: Int? = nil, errorMessage: String? = nil,
        maxRunningMillis: Int64? = nil, driverPodName: String? = nil, adoption: Adoption? = nil
    ) {
        self.submissionId = submissionId
        self.version = version
        self.createdMillis = createdMillis
        self.terminationMillis = terminationMillis
        self.executionAttempts = executionAttempts
        self.submissionAttempts = submissionAttempts
        self.errorMessage = errorMessage
        self.maxRunningMillis = maxRunningMillis
        self.driverPodName = driverPodName
        self.adoption = adoption
    }

    /// Who an adopted application belongs to and where it runs, from its labels and the cluster.
    public struct Adoption: Sendable, Equatable, Hashable {
        /// The `proxyUser` label.
        public var user: String?
        /// The `queue` label without BPG's `root.` prefix (the form of the `resolved_queue` column).
        public var queue: String?
        public var clusterId: String
        public var namespace: String
        /// The object's creation, for `created_time` of a row created here.
        public var createdTime: Date

        public init(user: String?, queue: String?, clusterId: String, namespace: String, createdTime: Date) {
            self.user = user
            self.queue = queue
            self.clusterId = clusterId
            self.namespace = namespace
            self.createdTime = createdTime
        }
    }
}
