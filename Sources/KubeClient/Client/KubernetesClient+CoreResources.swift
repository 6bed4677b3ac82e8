import Foundation

/// Typed shortcuts for the core objects a gateway reads, and leases for leader election.
extension KubernetesClient {
    /// Reads a pod.
    public func pod(named name: String, namespace: String) async throws(KubeError) -> Pod {
        try await get(Pod.self, .pods, namespace: namespace, name: name)
    }

    /// Lists events, typically with `fieldSelector: "involvedObject.name=<name>"`.
    public func events(
        namespace: String, fieldSelector: String? = nil, limit: Int? = nil
    ) async throws(KubeError) -> [Event] {
        try await list(Event.self, .events, namespace: namespace, options: ListOptions(fieldSelector: fieldSelector, limit: limit)).items
    }

    /// Reads a secret (values base64-decoded).
    public func secret(named name: String, namespace: String) async throws(KubeError) -> Secret {
        try await get(Secret.self, .secrets, namespace: namespace, name: name)
    }

    /// Reads a lease.
    public func lease(named name: String, namespace: String) async throws(KubeError) -> Lease {
        try await get(Lease.self, .leases, namespace: namespace, name: name)
    }

    /// Creates a lease; `.alreadyExists` when another candidate was first.
    public func createLease(_ lease: Lease, namespace: String) async throws(KubeError) -> Lease {
        try await create(lease, in: .leases, namespace: namespace)
    }

    /// Updates a lease; `.conflict` when another candidate updated it since it was read.
    public func updateLease(_ lease: Lease, namespace: String) async throws(KubeError) -> Lease {
        guard let name = lease.metadata.name else {
            throw KubeError(code: .configuration, clusterID: clusterID, message: "lease: metadata.name is required for update")
        }
        return try await update(lease, in: .leases, namespace: namespace, name: name)
    }
}
