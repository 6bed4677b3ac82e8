/// The container security settings BPG lets a request set.
public struct SecurityContext: Codable, Hashable, Sendable {
    public var privileged: Bool?
    public var runAsUser: Int64?
    public var allowPrivilegeEscalation: Bool?

    public init(privileged: Bool? = nil, runAsUser: Int64? = nil, allowPrivilegeEscalation: Bool? = nil) {
        self.privileged = privileged
        self.runAsUser = runAsUser
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
    }
}
