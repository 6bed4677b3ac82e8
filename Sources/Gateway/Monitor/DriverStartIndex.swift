import Foundation
import GatewayCore
import KubeClient
import Logging

/// Driver pods' start times for one re-list, read with one paged list of the namespace's driver
/// pods on first need, so a reconciliation of thousands of applications costs the API server one
/// list rather than a read per application.
actor DriverStartIndex {
    private let cluster: GatewayCluster
    private let logger: Logger
    private var starts: [String: Date]?

    init(cluster: GatewayCluster, logger: Logger) {
        self.cluster = cluster
        self.logger = logger
    }

    /// The pod's `status.startTime`, nil when the pod is gone, has not started, or the list failed.
    func startTime(ofPod name: String) async -> Date? {
        if starts == nil {
            var loaded: [String: Date] = [:]
            do {
                let pods = try await cluster.client.pods(namespace: cluster.namespace, labelSelector: "spark-role=driver")
                for pod in pods {
                    guard let podName = pod.metadata.name, let millis = Timestamp.epochMillis(pod.status?.startTime) else {
                        continue
                    }
                    loaded[podName] = Timestamp.date(epochMillis: millis)
                }
            } catch {
                // Start times stay unknown for this re-list (no job info, so no cost, until a later event).
                logger.warning("driver pod list failed", metadata: ["error": "\(error)"])
            }
            starts = loaded
        }
        return starts?[name]
    }
}
