/// `gateway.objectStorage.logArchive`: how finished applications' logs are copied to BPG's
/// `sparkLogS3Bucket`. Archiving runs only when `sparkLogS3Bucket` is set. See docs/object-storage.md.
public struct LogArchiveSettings: Codable, Hashable, Sendable {
    /// Also archive executor logs (executor pods usually go away with the application unless
    /// `spark.kubernetes.executor.deleteOnTermination` is false; a gone pod is recorded as unavailable).
    /// Default false.
    public var executorLogs = false
    /// How often the active monitor of a cluster looks for archives due. Default 10 s.
    public var sweepIntervalSeconds = 10
    /// The first retry after a failed attempt; each further failure doubles it. Default 30 s.
    public var retryInitialSeconds = 30
    /// The longest wait between attempts (it caps the first one too). Default 1 h.
    public var retryMaxSeconds = 3600
    /// Attempts before the archive is given up (state `failed`). Default 48 (about two days at the
    /// longest wait).
    public var maxAttempts = 48
    /// How long a replica's claim on an archive lasts: after this another replica may take it over,
    /// so it must exceed the longest upload. Default 15 min.
    public var claimSeconds = 900
    /// Archives claimed per sweep. Default 16.
    public var batchSize = 16

    public init() {}

    enum CodingKeys: String, CodingKey {
        case executorLogs, sweepIntervalSeconds, retryInitialSeconds, retryMaxSeconds, maxAttempts, claimSeconds, batchSize
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LogArchiveSettings()
        executorLogs = try c.decodeIfPresent(Bool.self, forKey: .executorLogs) ?? defaults.executorLogs
        sweepIntervalSeconds = try c.decodeIfPresent(Int.self, forKey: .sweepIntervalSeconds) ?? defaults.sweepIntervalSeconds
        retryInitialSeconds = try c.decodeIfPresent(Int.self, forKey: .retryInitialSeconds) ?? defaults.retryInitialSeconds
        retryMaxSeconds = try c.decodeIfPresent(Int.self, forKey: .retryMaxSeconds) ?? defaults.retryMaxSeconds
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? defaults.maxAttempts
        claimSeconds = try c.decodeIfPresent(Int.self, forKey: .claimSeconds) ?? defaults.claimSeconds
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? defaults.batchSize
    }
}
