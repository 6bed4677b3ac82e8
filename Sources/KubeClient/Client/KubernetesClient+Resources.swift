import Foundation

/// Generic verbs over any `KubeResource`, with caller-chosen `Codable` object types.
extension KubernetesClient {
    /// Creates `object` (POST) and returns what the server stored.
    ///
    /// Throws `.alreadyExists` when the name is taken and `.invalid` (with `causes`) when the object
    /// fails validation.
    public func create<T: Codable & Sendable>(
        _ object: T, in resource: KubeResource, namespace: String? = nil
    ) async throws(KubeError) -> T {
        let body = try encode(object, what: resource.description)
        let response = try await send("POST", resource.path(namespace: namespace), body: body)
        return try decode(T.self, from: response.body, what: "created \(resource)")
    }

    /// Creates an object from its JSON encoding (POST) and returns only the stored object's metadata:
    /// the fast path for callers that already hold the JSON and do not need the object back.
    public func create(
        json body: Data, in resource: KubeResource, namespace: String? = nil
    ) async throws(KubeError) -> ObjectMeta {
        struct Created: Decodable { var metadata: ObjectMeta }
        let response = try await send("POST", resource.path(namespace: namespace), body: body)
        return try decode(Created.self, from: response.body, what: "created \(resource)").metadata
    }

    /// Reads one object.
    public func get<T: Decodable>(
        _ type: T.Type, _ resource: KubeResource, namespace: String? = nil, name: String
    ) async throws(KubeError) -> T {
        let response = try await send("GET", resource.path(namespace: namespace, name: name))
        return try decode(T.self, from: response.body, what: "\(resource) \(name)")
    }

    /// Reads one page of a collection (`namespace: nil` lists across namespaces for namespaced resources).
    public func list<T: Codable & Sendable>(
        _ type: T.Type, _ resource: KubeResource, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws(KubeError) -> ObjectList<T> {
        let response = try await send("GET", resource.path(namespace: namespace), query: options.query)
        return try decode(ObjectList<T>.self, from: response.body, what: "\(resource) list")
    }

    /// Reads every page of a collection (following `continue` tokens) and returns the items with the
    /// version of the first page, from which a watch sees every later change.
    public func listAll<T: Codable & Sendable>(
        _ type: T.Type, _ resource: KubeResource, namespace: String? = nil, options: ListOptions = ListOptions(),
        pageSize: Int = 500
    ) async throws(KubeError) -> ObjectList<T> {
        var options = options
        options.limit = pageSize
        options.continueToken = nil
        var first = try await list(T.self, resource, namespace: namespace, options: options)
        var next = first.metadata.continue
        while let token = next, !token.isEmpty {
            options.continueToken = token
            options.resourceVersion = nil  // the token pins the version
            let page = try await list(T.self, resource, namespace: namespace, options: options)
            first.items.append(contentsOf: page.items)
            next = page.metadata.continue
        }
        first.metadata.continue = nil
        return first
    }

    /// Replaces an object (PUT). Send the `resourceVersion` you read; a stale one gives `.conflict`.
    public func update<T: Codable & Sendable>(
        _ object: T, in resource: KubeResource, namespace: String? = nil, name: String
    ) async throws(KubeError) -> T {
        let body = try encode(object, what: resource.description)
        let response = try await send("PUT", resource.path(namespace: namespace, name: name), body: body)
        return try decode(T.self, from: response.body, what: "updated \(resource) \(name)")
    }

    /// Deletes an object. Throws `.notFound` when it does not exist.
    public func delete(
        _ resource: KubeResource, namespace: String? = nil, name: String,
        propagationPolicy: PropagationPolicy? = .background, gracePeriodSeconds: Int? = nil
    ) async throws(KubeError) {
        struct DeleteOptions: Encodable {
            var kind = "DeleteOptions"
            var apiVersion = "v1"
            var propagationPolicy: String?
            var gracePeriodSeconds: Int?
        }
        let options = DeleteOptions(propagationPolicy: propagationPolicy?.rawValue, gracePeriodSeconds: gracePeriodSeconds)
        let body = try encode(options, what: "DeleteOptions")
        _ = try await send("DELETE", resource.path(namespace: namespace, name: name), body: body)
    }
}
