/// Everything wrong with a configuration, found in one pass: each problem names its key path.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// One problem at one key path (`sparkClusters[1].weight`).
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
        public var description: String { "\(path.isEmpty ? "<root>" : path): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) { self.problems = problems }

    public var description: String {
        "invalid configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
