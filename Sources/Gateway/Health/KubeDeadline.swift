import KubeClient

/// Bounds a Kubernetes call by a deadline shorter than the cluster's own request timeout.
enum KubeDeadline {
    /// Runs `body`, failing with a `.timeout` `KubeError` when it takes longer than `timeout`. The call
    /// is cancelled then (libcurl transfers end on task cancellation); a request already sent may still
    /// be handled by the server.
    static func run<T: Sendable>(
        _ timeout: Duration, clusterId: String, what: String,
        _ body: @escaping @Sendable () async throws(KubeError) -> T
    ) async throws(KubeError) -> T {
        let result = await withTaskGroup(of: Result<T, KubeError>?.self) { group in
            group.addTask {
                do throws(KubeError) { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled
                    ? nil : .failure(KubeError(code: .timeout, clusterID: clusterId, message: "\(what) timed out after \(timeout)"))
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw error
        case nil: throw KubeError(code: .cancelled, clusterID: clusterId, message: "\(what) cancelled")
        }
    }
}
