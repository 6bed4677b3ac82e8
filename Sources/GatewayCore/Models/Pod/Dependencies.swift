/// Extra artefacts for spark-submit (`spec.deps`), passed through verbatim.
public struct Dependencies: Codable, Hashable, Sendable {
    public var jars: [String]?
    public var files: [String]?
    public var pyFiles: [String]?
    public var packages: [String]?
    public var excludePackages: [String]?
    public var repositories: [String]?
    public var archives: [String]?

    public init(
        jars: [String]? = nil, files: [String]? = nil, pyFiles: [String]? = nil, packages: [String]? = nil,
        excludePackages: [String]? = nil, repositories: [String]? = nil, archives: [String]? = nil
    ) {
        self.jars = jars
        self.files = files
        self.pyFiles = pyFiles
        self.packages = packages
        self.excludePackages = excludePackages
        self.repositories = repositories
        self.archives = archives
    }
}
