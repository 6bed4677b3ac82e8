import Foundation

/// BPG's configuration file, key for key, plus the gateway's own ``GatewaySettings`` under `gateway:`.
///
/// Load it from a parsed document so unknown keys are reported and every problem is listed at once:
///
/// ```swift
/// let tree = try YAMLDecoder().decode(ConfigurationTree.self, from: yaml)
/// let loaded = try GatewayConfiguration.load(from: tree)
/// for key in loaded.unknownKeys { logger.warning("unknown configuration key \(key)") }
/// ```
public struct GatewayConfiguration: Codable, Hashable, Sendable {
    /// BPG's default REST root.
    public static let defaultApplicationContextPath = "/skatev2"

    /// The REST root; default `/skatev2` (also when empty).
    public var applicationContextPath: String = Self.defaultApplicationContextPath
    /// Lowest-priority Spark conf.
    public var defaultSparkConf: [String: String]?
    /// Enforced Spark conf, overriding the request.
    public var fixedSparkConf: [String: String]?
    public var sparkClusters: [SparkClusterConfiguration] = []
    public var sparkImages: [SparkImageConfiguration] = []
    public var s3Bucket: String?
    public var s3Folder: String?
    public var sparkLogS3Bucket: String?
    /// Unused by BPG; accepted.
    public var sparkLogIndex: String?
    /// Unused by BPG; accepted.
    public var batchFileLimit: Int?
    public var sparkHistoryDns: String?
    public var sparkHistoryUrl: String?
    /// Unused by BPG; accepted.
    public var gatewayDns: String?
    /// Unused by BPG; accepted.
    public var eksCluster: String?
    /// `*` allows everyone; empty means nobody (every request is 401), as in BPG.
    public var allowedUsers: [String] = []
    public var blockedUsers: [String] = []
    /// Unused by BPG; the default for `gateway.auth.adminUsers`.
    public var adminUsers: [String]?
    /// nil when the key is absent: then no queue is checked (BPG's "no queues config").
    public var queues: [QueueConfiguration]?
    public var queueTokenSOPS: QueueTokenConfiguration?
    public var dbStorageSOPS: DatabaseConfiguration?
    /// Cost per MiB-second of memory.
    public var memoryMbSecondCost: Double?
    /// Cost per vCore-second.
    public var vCoreSecondCost: Double?
    /// Status cache TTL; default 990 ms.
    public var statusCacheExpireMillis: Int64 = 990
    /// Dropwizard's `server` section (ports).
    public var server: ServerConfiguration?
    /// Dropwizard's `logging` section; accepted and kept verbatim.
    public var logging: ConfigurationTree?
    /// The gateway's own settings.
    public var gateway = GatewaySettings()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case applicationContextPath, defaultSparkConf, fixedSparkConf, sparkClusters, sparkImages, s3Bucket
        case s3Folder, sparkLogS3Bucket, sparkLogIndex, batchFileLimit, sparkHistoryDns, sparkHistoryUrl
        case gatewayDns, eksCluster, allowedUsers, blockedUsers, adminUsers, queues, queueTokenSOPS
        case dbStorageSOPS, memoryMbSecondCost, vCoreSecondCost, statusCacheExpireMillis, server, logging, gateway
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let path = try c.decodeIfPresent(String.self, forKey: .applicationContextPath)
        applicationContextPath = path.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultApplicationContextPath
        defaultSparkConf = try c.decodeStringMap(forKey: .defaultSparkConf)
        fixedSparkConf = try c.decodeStringMap(forKey: .fixedSparkConf)
        sparkClusters = try c.decodeIfPresent([SparkClusterConfiguration].self, forKey: .sparkClusters) ?? []
        sparkImages = try c.decodeIfPresent([SparkImageConfiguration].self, forKey: .sparkImages) ?? []
        s3Bucket = try c.decodeIfPresent(String.self, forKey: .s3Bucket)
        s3Folder = try c.decodeIfPresent(String.self, forKey: .s3Folder)
        sparkLogS3Bucket = try c.decodeIfPresent(String.self, forKey: .sparkLogS3Bucket)
        sparkLogIndex = try c.decodeIfPresent(String.self, forKey: .sparkLogIndex)
        batchFileLimit = try c.decodeIfPresent(Int.self, forKey: .batchFileLimit)
        sparkHistoryDns = try c.decodeIfPresent(String.self, forKey: .sparkHistoryDns)
        sparkHistoryUrl = try c.decodeIfPresent(String.self, forKey: .sparkHistoryUrl)
        gatewayDns = try c.decodeIfPresent(String.self, forKey: .gatewayDns)
        eksCluster = try c.decodeIfPresent(String.self, forKey: .eksCluster)
        allowedUsers = try c.decodeStringList(forKey: .allowedUsers) ?? []
        blockedUsers = try c.decodeStringList(forKey: .blockedUsers) ?? []
        adminUsers = try c.decodeStringList(forKey: .adminUsers)
        queues = try c.decodeIfPresent([QueueConfiguration].self, forKey: .queues)
        queueTokenSOPS = try c.decodeIfPresent(QueueTokenConfiguration.self, forKey: .queueTokenSOPS)
        dbStorageSOPS = try c.decodeIfPresent(DatabaseConfiguration.self, forKey: .dbStorageSOPS)
        memoryMbSecondCost = try c.decodeIfPresent(Double.self, forKey: .memoryMbSecondCost)
        vCoreSecondCost = try c.decodeIfPresent(Double.self, forKey: .vCoreSecondCost)
        statusCacheExpireMillis = try c.decodeIfPresent(Int64.self, forKey: .statusCacheExpireMillis) ?? 990
        server = try c.decodeIfPresent(ServerConfiguration.self, forKey: .server)
        logging = try c.decodeIfPresent(ConfigurationTree.self, forKey: .logging)
        gateway = try c.decodeIfPresent(GatewaySettings.self, forKey: .gateway) ?? GatewaySettings()
    }

    // MARK: Lookups

    /// The cluster with exactly this id.
    public func cluster(id: String) -> SparkClusterConfiguration? { sparkClusters.first { $0.id == id } }

    /// The queue by full name, case-insensitive, last match wins (BPG's token and executor-limit lookup).
    public func queue(named name: String) -> QueueConfiguration? {
        queues?.last { $0.name.equalsIgnoringCase(name) }
    }

    /// The effective admin users: `gateway.auth.adminUsers`, else the top-level `adminUsers`.
    public var effectiveAdminUsers: [String] { gateway.auth.adminUsers ?? adminUsers ?? [] }
}

/// A configuration that decoded and validated, with the keys it did not recognise.
public struct LoadedConfiguration: Sendable {
    public var configuration: GatewayConfiguration
    /// Key paths present in the document but unknown to the gateway (`sparkClusters[0].sparkUIOptions.ServicePort`).
    /// They are ignored, as BPG ignores them; log them once at startup.
    public var unknownKeys: [String]
}

extension GatewayConfiguration {
    /// Decodes and validates a configuration document.
    /// - Throws: ``ConfigurationError`` listing every problem with its key path.
    public static func load(from tree: ConfigurationTree) throws(ConfigurationError) -> LoadedConfiguration {
        let state = TreeDecodingState()
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration(from: TreeDecoder(node: tree, codingPath: [], state: state))
        } catch let error as DecodingError {
            throw ConfigurationError(problems: [Self.problem(from: error)])
        } catch {
            throw ConfigurationError(problems: [.init(path: "", message: String(describing: error))])
        }
        let problems = configuration.validate()
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return LoadedConfiguration(configuration: configuration, unknownKeys: state.unknownKeys(in: tree))
    }

    /// Decodes and validates a JSON configuration document.
    public static func load(json: Data) throws(ConfigurationError) -> LoadedConfiguration {
        let tree: ConfigurationTree
        do {
            tree = try ConfigurationTree(json: json)
        } catch {
            throw ConfigurationError(problems: [.init(path: "", message: "not valid JSON: \(error)")])
        }
        return try load(from: tree)
    }

    private static func problem(from error: DecodingError) -> ConfigurationError.Problem {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return .init(path: TreeDecodingState.path(context.codingPath), message: context.debugDescription)
        case .keyNotFound(let key, let context):
            return .init(path: TreeDecodingState.path(context.codingPath + [key]), message: "required key is missing")
        @unknown default:
            return .init(path: "", message: String(describing: error))
        }
    }
}
