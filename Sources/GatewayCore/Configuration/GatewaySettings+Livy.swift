import Foundation

extension GatewaySettings {
    /// `gateway.livy`: the Livy-compatible batch API (docs/livy.md).
    public struct Livy: Codable, Hashable, Sendable {
        /// Default true: the batch API is served.
        public var enabled: Bool = true
        /// Where the batch API is mounted, at the server's root and again under `applicationContextPath`.
        /// Default `/batches`, Livy's own path, so clients configured with the gateway's address work unchanged.
        public var root: String = "/batches"
        /// The queue for batches whose request has no `queue`. Default none: BPG's queue resolution
        /// (the user's mapped queue, else `poc`).
        public var defaultQueue: String?
        /// The Spark version of Livy batches (Livy requests carry none). Default: the highest version
        /// in `sparkImages`.
        public var sparkVersion: String?

        public init() {}

        enum CodingKeys: String, CodingKey { case enabled, root, defaultQueue, sparkVersion }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            root = try c.decodeIfPresent(String.self, forKey: .root) ?? "/batches"
            defaultQueue = try c.decodeIfPresent(String.self, forKey: .defaultQueue)
            sparkVersion = try c.decodeIfPresent(String.self, forKey: .sparkVersion)
        }

        /// Problems with these settings, as (key path, message).
        func problems() -> [(path: String, message: String)] {
            var problems: [(path: String, message: String)] = []
            let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
            if !root.hasPrefix("/") || trimmed.isEmpty || root.contains("{") || root.contains("?") {
                problems.append(("gateway.livy.root", "must be a path starting with \"/\", other than \"/\" (got \"\(root)\")"))
            }
            if let queue = defaultQueue, queue.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(("gateway.livy.defaultQueue", "must not be empty when set"))
            }
            if let version = sparkVersion, version.isEmpty {
                problems.append(("gateway.livy.sparkVersion", "must not be empty when set"))
            }
            return problems
        }
    }
}
