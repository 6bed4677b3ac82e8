/// `GET /admin/version` → `{"version":…, "gitCommit":…, "buildTime":…}`.
public struct VersionInfo: Codable, Hashable, Sendable {
    public var version: String?
    public var gitCommit: String?
    public var buildTime: String?
    public init(version: String? = nil, gitCommit: String? = nil, buildTime: String? = nil) {
        self.version = version
        self.gitCommit = gitCommit
        self.buildTime = buildTime
    }
}
