import Foundation

/// Where a resource type lives in the REST API. Adding a resource is one static constant:
///
/// ```swift
/// extension KubeResource {
///     static let configMaps = KubeResource(group: "", version: "v1", plural: "configmaps", namespaced: true)
/// }
/// ```
public struct KubeResource: Sendable, Hashable, CustomStringConvertible {
    /// API group; empty for the core group (`/api/v1`).
    public var group: String
    public var version: String
    /// The lower-case plural used in paths, for example `sparkapplications`.
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.plural = plural
        self.namespaced = namespaced
    }

    /// `sparkoperator.k8s.io/v1beta2` SparkApplications.
    public static let sparkApplications = KubeResource(
        group: "sparkoperator.k8s.io", version: "v1beta2", plural: "sparkapplications", namespaced: true)
    /// Core `v1` pods.
    public static let pods = KubeResource(group: "", version: "v1", plural: "pods", namespaced: true)
    /// Core `v1` events.
    public static let events = KubeResource(group: "", version: "v1", plural: "events", namespaced: true)
    /// Core `v1` secrets.
    public static let secrets = KubeResource(group: "", version: "v1", plural: "secrets", namespaced: true)
    /// `coordination.k8s.io/v1` leases (leader election).
    public static let leases = KubeResource(
        group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true)

    /// `group/version`, or `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { group.isEmpty ? "\(plural).\(version)" : "\(plural).\(version).\(group)" }

    /// The collection or object path: `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]`.
    func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace {
            path += "/namespaces/\(KubeResource.escape(namespace))"
        }
        path += "/\(plural)"
        if let name {
            path += "/\(KubeResource.escape(name))"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    /// Percent-escapes a path segment (names are DNS-like, but never trust input to be).
    static func escape(_ segment: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}
