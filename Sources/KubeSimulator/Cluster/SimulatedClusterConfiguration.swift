import Logging

/// How a `SimulatedCluster` listens, authenticates and paces its simulated operator. The defaults
/// suit tests: a free port on loopback, HTTPS with the development certificate, a bearer token.
///
///     var configuration = SimulatedClusterConfiguration()
///     configuration.operatorTimings = .uniform(.milliseconds(20))
///     configuration.capacity = 2
public struct SimulatedClusterConfiguration: Sendable {
    /// The numeric address to bind.
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one (`SimulatedCluster.port` tells which after `start()`).
    public var port: Int = 0
    /// HTTPS with the built-in development certificate (trust `SimulatedCluster.developmentCertificateAuthorityPEM`).
    public var useTLS: Bool = true
    /// The token clients must send as `Authorization: Bearer …`; nil turns authentication off.
    public var bearerToken: String? = "simulator-token"
    /// How long the simulated operator takes for each step of an application's life.
    public var operatorTimings = SimulatedOperatorTimings()
    /// The most applications running at once; the rest stay SUBMITTED until a slot frees. nil: unlimited.
    public var capacity: Int? = nil
    /// How many events the simulated operator keeps; older ones are deleted (a real cluster expires
    /// them after an hour). nil: keep all.
    public var eventLimit: Int? = 10_000
    /// How many changes the API server remembers for watches and continue tokens; older resourceVersions get 410 Expired.
    public var watchHistoryLimit: Int = 1000
    /// How long the API server remembers changes for watches and continue tokens, per resource type
    /// (the watch cache keeps a few minutes); nil: only `watchHistoryLimit` bounds the history.
    public var watchHistoryWindow: Duration? = nil
    /// How many events a watch may fall behind before the server closes it.
    public var watchBufferLimit: Int = 1000
    /// How often watches with `allowWatchBookmarks=true` get a BOOKMARK.
    public var bookmarkInterval: Duration = .seconds(1)
    /// How long a watch without `timeoutSeconds` stays open.
    public var defaultWatchTimeout: Duration = .seconds(1800)
    /// The SparkApplication CRD (`CustomResourceDefinition(contentsOf:)`): its structural schema
    /// prunes, defaults and validates applications as a real API server does. nil: the simulator's
    /// built-in checks of the main fields only.
    public var crd: CustomResourceDefinition? = nil
    /// The namespaces that exist besides `default`, `kube-system`, `kube-public` and `kube-node-lease`
    /// (more can be created with `POST /api/v1/namespaces`); writes elsewhere are 404 `namespaces "x"
    /// not found`. nil: every valid namespace name exists.
    public var namespaces: Set<String>? = nil
    /// How long a pod deleted through the API stays Terminating at most: a real pod stays for its
    /// grace period (`gracePeriodSeconds`, else `spec.terminationGracePeriodSeconds`, else 30 s) until
    /// its containers stop; the simulator waits for that period capped by this. Zero (the default,
    /// which the operator's timings assume): pods go at once.
    public var podGracePeriodLimit: Duration = .zero
    /// Debug lines about requests and the simulated operator (never tokens).
    public var logger: Logger = .disabled

    /// The defaults described on each property.
    public init() {}
}
