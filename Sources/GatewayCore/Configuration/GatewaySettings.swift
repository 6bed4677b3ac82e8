/// The `gateway:` section: settings this gateway adds to BPG's configuration. Every key is optional.
/// The defaults reproduce BPG's API and semantics, with one deliberate exception that changes no API
/// shape: cluster health tracking, skipping clusters that are down, and failover to up to three
/// candidates are on, so one cluster down no longer fails about half of all submissions. BPG's
/// single-attempt behaviour is `routing.maxAttempts: 1` with `health.enabled: false`
/// (docs/health-and-failover.md, "Opting out").
public struct GatewaySettings: Codable, Hashable, Sendable {
    /// `gateway.routing`.
    public struct Routing: Codable, Hashable, Sendable {
        /// How candidate clusters are ordered.
        public enum Strategy: String, Codable, Hashable, Sendable {
            /// BPG: weighted random order.
            case weighted
            /// Weighted random order with each weight shrunk by the cluster's backlog.
            case backlogAware
        }
        /// Default `weighted`.
        public var strategy: Strategy = .weighted
        /// How many candidate clusters a submission tries when creating the application fails with a
        /// retryable error (unreachable API server, 5xx, an empty reply). Default ``defaultMaxAttempts``
        /// (3); 1 is BPG's behaviour: no failover.
        public var maxAttempts: Int = Routing.defaultMaxAttempts
        /// The default of ``maxAttempts``: failover to up to three candidates.
        public static let defaultMaxAttempts = 3
        /// Skip clusters whose health is `down` (only effective when `gateway.health.enabled`, which is
        /// on by default). Default true.
        public var skipUnhealthyClusters: Bool = true
        /// Backlog-aware strategy: the pending-application count at which a cluster without a configured
        /// capacity gets half its weight. Default 10.
        public var backlogHalfWeightPending: Int = 10
        /// Backlog-aware strategy: how much a running application counts compared with a pending one.
        /// Default 0 (only pending applications count as backlog).
        public var runningWeight: Double = 0
        /// Backlog-aware strategy: cluster id → the number of concurrent applications it can take.
        public var clusterCapacity: [String: Int] = [:]
        /// How long after it was sent a create whose answer was lost may still be stored by the API
        /// server (kube-apiserver gives up on a request after 60 s by default). Until then an attempt
        /// of unknown outcome is fenced rather than declared failed; after it, one whose application
        /// never appeared is settled as never created. Default 120 s.
        public var unknownOutcomeWindowSeconds: Int = 120

        public init() {}

        enum CodingKeys: String, CodingKey {
            case strategy, maxAttempts, skipUnhealthyClusters, backlogHalfWeightPending, runningWeight, clusterCapacity
            case unknownOutcomeWindowSeconds
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            strategy = try c.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .weighted
            maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? Routing.defaultMaxAttempts
            skipUnhealthyClusters = try c.decodeIfPresent(Bool.self, forKey: .skipUnhealthyClusters) ?? true
            backlogHalfWeightPending = try c.decodeIfPresent(Int.self, forKey: .backlogHalfWeightPending) ?? 10
            runningWeight = try c.decodeIfPresent(Double.self, forKey: .runningWeight) ?? 0
            clusterCapacity = try c.decodeIfPresent([String: Int].self, forKey: .clusterCapacity) ?? [:]
            unknownOutcomeWindowSeconds = try c.decodeIfPresent(Int.self, forKey: .unknownOutcomeWindowSeconds) ?? 120
        }
    }

    /// `gateway.health`: active probing of each cluster's API server.
    public struct Health: Codable, Hashable, Sendable {
        /// Default true: clusters that fail are marked down and left out of the ranking. False is BPG's
        /// behaviour (clusters are never marked down).
        public var enabled: Bool = true
        /// Default 10 s.
        public var probeIntervalMillis: Int64 = 10_000
        /// Default 2 s.
        public var probeTimeoutMillis: Int64 = 2_000
        /// Consecutive failed probes (or failed creates) before a cluster is `down`. Default 3.
        public var failureThreshold: Int = 3
        /// Consecutive successful probes before a `down` cluster is `up` again. Default 2.
        public var recoveryThreshold: Int = 2

        public init() {}

        enum CodingKeys: String, CodingKey {
            case enabled, probeIntervalMillis, probeTimeoutMillis, failureThreshold, recoveryThreshold
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
            probeIntervalMillis = try c.decodeIfPresent(Int64.self, forKey: .probeIntervalMillis) ?? 10_000
            probeTimeoutMillis = try c.decodeIfPresent(Int64.self, forKey: .probeTimeoutMillis) ?? 2_000
            failureThreshold = try c.decodeIfPresent(Int.self, forKey: .failureThreshold) ?? 3
            recoveryThreshold = try c.decodeIfPresent(Int.self, forKey: .recoveryThreshold) ?? 2
        }
    }

    /// `gateway.auth`.
    public struct Auth: Codable, Hashable, Sendable {
        /// How a caller's identity is established.
        public enum Mode: String, Codable, Hashable, Sendable {
            /// BPG: the `User-Account` header or a Basic username, password ignored, checked against
            /// `allowedUsers`/`blockedUsers`.
            case bpg
            /// Basic credentials checked against `htpasswdFile` (bcrypt, sha512-crypt, yescrypt).
            case htpasswd
            /// `User-Account` accepted only from `trustedProxies` (an auth sidecar or ingress).
            case trustedHeader
        }
        /// Default `bpg`.
        public var mode: Mode = .bpg
        public var htpasswdFile: String?
        /// Peer addresses (IPs or CIDRs) allowed to assert `User-Account` in `trustedHeader` mode.
        public var trustedProxies: [String] = []
        /// Users allowed on `/admin/*` and to act on any submission. Default: the top-level `adminUsers`.
        public var adminUsers: [String]?
        /// Only the submitting user (or an admin) may delete or read a submission. Default false, as BPG.
        public var enforceOwnership: Bool = false
        /// Failed password checks allowed per client address within `failureWindowSeconds` before its
        /// passwords are refused with 429 until the window ends. Default 5; 0 turns the limit off.
        public var maxFailuresPerAddress: Int = 5
        /// Default 60.
        public var failureWindowSeconds: Int = 60
        /// How long a verified user/password pair is accepted without hashing again. Default 60; 0 off.
        public var credentialCacheSeconds: Int = 60
        /// Threads that verify password hashes. Default 0: half the processors, at least one.
        public var hashingThreads: Int = 0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case mode, htpasswdFile, trustedProxies, adminUsers, enforceOwnership
            case maxFailuresPerAddress, failureWindowSeconds, credentialCacheSeconds, hashingThreads
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .bpg
            htpasswdFile = try c.decodeIfPresent(String.self, forKey: .htpasswdFile)
            trustedProxies = try c.decodeStringList(forKey: .trustedProxies) ?? []
            adminUsers = try c.decodeStringList(forKey: .adminUsers)
            enforceOwnership = try c.decodeIfPresent(Bool.self, forKey: .enforceOwnership) ?? false
            maxFailuresPerAddress = try c.decodeIfPresent(Int.self, forKey: .maxFailuresPerAddress) ?? 5
            failureWindowSeconds = try c.decodeIfPresent(Int.self, forKey: .failureWindowSeconds) ?? 60
            credentialCacheSeconds = try c.decodeIfPresent(Int.self, forKey: .credentialCacheSeconds) ?? 60
            hashingThreads = try c.decodeIfPresent(Int.self, forKey: .hashingThreads) ?? 0
        }
    }

    /// `gateway.store`: where submissions are recorded.
    public struct Store: Codable, Hashable, Sendable {
        /// The storage backend.
        public enum Backend: String, Codable, Hashable, Sendable {
            /// MySQL when `dbStorageSOPS.connectionString` is set, else the embedded SQLite file (BPG
            /// records nothing then).
            case auto
            case mysql
            case sqlite
            /// Kept in memory; lost on restart (tests, dev mode).
            case memory
            /// Nothing persisted: records live in memory for the process only (a warning at startup).
            case none
        }
        /// Default `auto`.
        public var backend: Backend = .auto
        /// The SQLite database file for `backend: sqlite`.
        public var sqlitePath: String?

        public init() {}

        enum CodingKeys: String, CodingKey { case backend, sqlitePath }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            backend = try c.decodeIfPresent(Backend.self, forKey: .backend) ?? .auto
            sqlitePath = try c.decodeIfPresent(String.self, forKey: .sqlitePath)
        }
    }

    /// `gateway.http`: what one client can hold of the HTTP server. The defaults are the HTTP
    /// server's own (`HTTPServerConfiguration`).
    public struct HTTP: Codable, Hashable, Sendable {
        /// Connections served at once before the one waiting longest for its headers is closed to
        /// admit a new one. Default 1024.
        public var maxConnections: Int = 1024
        /// Connections one client address may hold; 0 for no limit. Default 512.
        public var maxConnectionsPerAddress: Int = 512
        /// Deadline for a complete request head on a new connection. Default 10.
        public var headerTimeoutSeconds: Int = 10

        public init() {}

        enum CodingKeys: String, CodingKey { case maxConnections, maxConnectionsPerAddress, headerTimeoutSeconds }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? 1024
            maxConnectionsPerAddress = try c.decodeIfPresent(Int.self, forKey: .maxConnectionsPerAddress) ?? 512
            headerTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .headerTimeoutSeconds) ?? 10
        }
    }

    public var routing = Routing()
    public var health = Health()
    public var auth = Auth()
    public var store = Store()
    public var http = HTTP()
    public var livy = Livy()
    /// `gateway.objectStorage` (``ObjectStorageSettings``).
    public var objectStorage = ObjectStorageSettings()
    /// `gateway.statusStream` (``StatusStream``).
    public var statusStream = StatusStream()
    /// `gateway.webUI` (``WebUI``).
    public var webUI = WebUI()

    public init() {}

    enum CodingKeys: String, CodingKey { case routing, health, auth, store, http, livy, objectStorage, statusStream, webUI }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        routing = try c.decodeIfPresent(Routing.self, forKey: .routing) ?? Routing()
        health = try c.decodeIfPresent(Health.self, forKey: .health) ?? Health()
        auth = try c.decodeIfPresent(Auth.self, forKey: .auth) ?? Auth()
        store = try c.decodeIfPresent(Store.self, forKey: .store) ?? Store()
        http = try c.decodeIfPresent(HTTP.self, forKey: .http) ?? HTTP()
        livy = try c.decodeIfPresent(Livy.self, forKey: .livy) ?? Livy()
        objectStorage = try c.decodeIfPresent(ObjectStorageSettings.self, forKey: .objectStorage) ?? ObjectStorageSettings()
        statusStream = try c.decodeIfPresent(StatusStream.self, forKey: .statusStream) ?? StatusStream()
        webUI = try c.decodeIfPresent(WebUI.self, forKey: .webUI) ?? WebUI()
    }
}
