import Foundation
import GatewayCore
import KubeClient

/// What the gateway needs from one Spark cluster's Kubernetes API, and nothing more: the one seam
/// between the gateway and a cluster. `KubernetesClient` implements it; an embedding service can pass
/// its own (a client with its own credentials or transport, an in-process fake for tests) through
/// `GatewayService.Options.clusterClients`.
///
/// Every call names the namespace (the cluster's `sparkApplicationNamespace`) and fails with a
/// `KubeError` that carries the cluster id, so failover, health and the error mapping work the same
/// for any implementation.
public protocol SparkClusterAPI: Sendable {
    /// Creates a `SparkApplication` from its JSON body.
    func createApplication(json: Data, namespace: String) async throws(KubeError)
    /// Reads one `SparkApplication` (404 as `.notFound`).
    func application(named name: String, namespace: String) async throws(KubeError) -> SparkApplication
    /// Whether one exists, reading as little as possible (404 as `.notFound`).
    func readApplicationBack(named name: String, namespace: String) async throws(KubeError)
    /// Deletes one `SparkApplication` (404 as `.notFound`).
    func deleteApplication(named name: String, namespace: String) async throws(KubeError)
    /// Every `SparkApplication` matching a label selector.
    func applications(namespace: String, labelSelector: String?) async throws(KubeError) -> [SparkApplication]
    /// List-then-watch of the applications matching a label selector, reconnecting and relisting by
    /// itself; ends only when the caller stops iterating.
    func watchApplications(namespace: String, labelSelector: String, timeoutSeconds: Int?) -> AsyncStream<WatchEvent<WatchedApplication>>
    /// One pod (404 as `.notFound`).
    func pod(named name: String, namespace: String) async throws(KubeError) -> Pod
    /// Deletes one pod (404 as `.notFound`): the monitor stops an application that ran too long by
    /// deleting its driver pod, as BPG does, so the operator fails the application and it stays visible.
    func deletePod(named name: String, namespace: String) async throws(KubeError)
    /// Every pod matching a label selector.
    func pods(namespace: String, labelSelector: String) async throws(KubeError) -> [Pod]
    /// A container's log as it grows (`follow`), in raw chunks.
    func followLog(ofPod name: String, namespace: String) async throws(KubeError) -> AsyncThrowingStream<Data, any Error>
    /// A container's log as it is now, in raw chunks, ending at its current end (404 as `.notFound`).
    /// The log archiver reads finished pods with it. Default: ``followLog(ofPod:namespace:)``, which
    /// ends at the same place for a container that has stopped.
    func log(ofPod name: String, namespace: String) async throws(KubeError) -> AsyncThrowingStream<Data, any Error>
    /// Events about one object.
    func events(about objectName: String, namespace: String) async throws(KubeError) -> [Event]
    /// A cheap request that proves the API server answers; returns its latency.
    func probe() async throws(KubeError) -> Duration
    /// Closes connections; later calls fail with `.shutdown`.
    func shutdown() async
}

extension SparkClusterAPI {
    public func log(ofPod name: String, namespace: String) async throws(KubeError) -> AsyncThrowingStream<Data, any Error> {
        try await followLog(ofPod: name, namespace: namespace)
    }
}

extension KubernetesClient: SparkClusterAPI {
    public func createApplication(json: Data, namespace: String) async throws(KubeError) {
        _ = try await create(json: json, in: .sparkApplications, namespace: namespace)
    }

    public func application(named name: String, namespace: String) async throws(KubeError) -> SparkApplication {
        try await get(SparkApplication.self, .sparkApplications, namespace: namespace, name: name)
    }

    public func readApplicationBack(named name: String, namespace: String) async throws(KubeError) {
        _ = try await get(UntypedObject.self, .sparkApplications, namespace: namespace, name: name)
    }

    public func deleteApplication(named name: String, namespace: String) async throws(KubeError) {
        try await delete(.sparkApplications, namespace: namespace, name: name)
    }

    public func applications(namespace: String, labelSelector: String?) async throws(KubeError) -> [SparkApplication] {
        try await listAll(
            SparkApplication.self, .sparkApplications, namespace: namespace, options: ListOptions(labelSelector: labelSelector)
        ).items
    }

    public func watchApplications(
        namespace: String, labelSelector: String, timeoutSeconds: Int?
    ) -> AsyncStream<WatchEvent<WatchedApplication>> {
        watch(
            WatchedApplication.self, .sparkApplications, namespace: namespace,
            options: WatchOptions(labelSelector: labelSelector, timeoutSeconds: timeoutSeconds))
    }

    public func deletePod(named name: String, namespace: String) async throws(KubeError) {
        try await delete(.pods, namespace: namespace, name: name)
    }

    public func pods(namespace: String, labelSelector: String) async throws(KubeError) -> [Pod] {
        try await listAll(Pod.self, .pods, namespace: namespace, options: ListOptions(labelSelector: labelSelector)).items
    }

    public func followLog(ofPod name: String, namespace: String) async throws(KubeError) -> AsyncThrowingStream<Data, any Error> {
        try await podLogs(named: name, namespace: namespace, options: PodLogOptions(follow: true))
    }

    public func log(ofPod name: String, namespace: String) async throws(KubeError) -> AsyncThrowingStream<Data, any Error> {
        try await podLogs(named: name, namespace: namespace)
    }

    public func events(about objectName: String, namespace: String) async throws(KubeError) -> [Event] {
        try await events(namespace: namespace, fieldSelector: "involvedObject.name=\(objectName)")
    }

    public func probe() async throws(KubeError) -> Duration {
        try await probeHealth().latency
    }
}
