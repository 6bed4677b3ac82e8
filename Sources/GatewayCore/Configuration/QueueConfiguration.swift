/// One entry of `queues`: a YuniKorn queue users may submit to, with its placement and limits.
public struct QueueConfiguration: Codable, Hashable, Sendable {
    /// Full name (`poc`, `parent.child`); every submittable queue must be listed.
    public var name: String
    /// Requires a queue token.
    public var secure: Bool = false
    /// Users mapped to this queue when a request names none.
    public var users: [String] = []
    /// Cap for `bpg.maxRunningMillis`; default 12 hours.
    public var maxRunningMillis: Int64?
    public var driverNodeLabelKey: String?
    public var executorNodeLabelKey: String?
    public var driverNodeLabelValues: [String]?
    public var executorNodeLabelValues: [String]?
    public var executorSpotNodeLabelValues: [String]?
    public var driverCPUBufferRatio: Double?
    public var executorCPUBufferRatio: Double?
    public var driverMemBufferRatio: Double?
    public var executorMemBufferRatio: Double?
    /// Executor cap; default 5000.
    public var maxExecutorInstances: Int?
    /// Zones jobs are pinned to, one zone per job, round-robin.
    public var allowedZones: [String]?
    /// Only `round_robin` exists.
    public var zonePickerName: String?

    /// BPG's default node-label key.
    public static let defaultNodeLabelKey = "node_group_category"
    /// BPG's default executor cap.
    public static let defaultMaxExecutorInstances = 5000

    public init(name: String) { self.name = name }

    enum CodingKeys: String, CodingKey {
        case name, secure, users, maxRunningMillis, driverNodeLabelKey, executorNodeLabelKey, driverNodeLabelValues
        case executorNodeLabelValues, executorSpotNodeLabelValues, driverCPUBufferRatio, executorCPUBufferRatio
        case driverMemBufferRatio, executorMemBufferRatio, maxExecutorInstances, allowedZones, zonePickerName
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        secure = try c.decodeIfPresent(Bool.self, forKey: .secure) ?? false
        users = try c.decodeStringList(forKey: .users) ?? []
        maxRunningMillis = try c.decodeIfPresent(Int64.self, forKey: .maxRunningMillis)
        driverNodeLabelKey = try c.decodeIfPresent(String.self, forKey: .driverNodeLabelKey)
        executorNodeLabelKey = try c.decodeIfPresent(String.self, forKey: .executorNodeLabelKey)
        driverNodeLabelValues = try c.decodeStringList(forKey: .driverNodeLabelValues)
        executorNodeLabelValues = try c.decodeStringList(forKey: .executorNodeLabelValues)
        executorSpotNodeLabelValues = try c.decodeStringList(forKey: .executorSpotNodeLabelValues)
        driverCPUBufferRatio = try c.decodeIfPresent(Double.self, forKey: .driverCPUBufferRatio)
        executorCPUBufferRatio = try c.decodeIfPresent(Double.self, forKey: .executorCPUBufferRatio)
        driverMemBufferRatio = try c.decodeIfPresent(Double.self, forKey: .driverMemBufferRatio)
        executorMemBufferRatio = try c.decodeIfPresent(Double.self, forKey: .executorMemBufferRatio)
        maxExecutorInstances = try c.decodeIfPresent(Int.self, forKey: .maxExecutorInstances)
        allowedZones = try c.decodeStringList(forKey: .allowedZones)
        zonePickerName = try c.decodeIfPresent(String.self, forKey: .zonePickerName)
    }
}
