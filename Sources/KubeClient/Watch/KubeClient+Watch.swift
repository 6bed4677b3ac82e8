/// Informer-style watches.
extension KubernetesClient {
    /// Lists, then watches a collection for changes, forever: the stream ends only when the consuming
    /// task is cancelled or the client is shut down — never because of a server or network failure.
    ///
    /// The first event is `.resynced` with the listed objects; then `.added`/`.modified`/`.deleted`.
    /// When the server expires our version (410), the collection is listed again and another
    /// `.resynced` arrives. Reconnects after a clean end of stream are immediate; failures back off
    /// exponentially with jitter (`options.backoff`).
    ///
    /// ```swift
    /// for await event in client.watch(SparkApplication.self, .sparkApplications, namespace: "spark") { … }
    /// ```
    public func watch<Object: KubeObject>(
        _ type: Object.Type, _ resource: KubeResource, namespace: String? = nil, options: WatchOptions = WatchOptions()
    ) -> AsyncStream<WatchEvent<Object>> {
        let informer = Informer<Object>(
            client: self, resource: resource, namespace: namespace, options: options, seed: UInt64.random(in: .min ... .max))
        return AsyncStream(unfolding: { await informer.next() })
    }
}
