import Foundation
import GatewayCore

/// How the application monitor runs: whether at all, its lease timings and its enforcement period.
///
/// The defaults give a replacement within 30 s of a replica dying: a lease lasts 15 s and is renewed
/// every 5 s; a standby tries to take it every 5 s, so it takes over at most 15 + 5 s after the last renew.
struct MonitorSettings: Sendable {
    /// Whether `serve` runs the monitor (BPG runs it only with `-DmonitorApplication=true`; we run it
    /// by default; `BPG_MONITOR_ENABLED=false` turns it off).
    var enabled = true
    /// How long a lease lasts unless renewed.
    var leaseDuration: Duration = .seconds(15)
    /// How often the holder renews its lease.
    var renewInterval: Duration = .seconds(5)
    /// How often a standby tries to take a lease.
    var acquireInterval: Duration = .seconds(5)
    /// How often running applications are checked against their `maxRunningMillis`.
    var enforcementInterval: Duration = .seconds(30)
    /// Server-side lifetime of one watch request; nil lets KubeClient pick 5–10 minutes.
    var watchTimeoutSeconds: Int? = nil
    /// Whether the monitor also adopts the applications BPG created in the watched namespaces (they
    /// carry BPG's `proxyUser` label but not the gateway's managed-by label): tracks their state,
    /// enforces their time limit, and fills their rows so listings show their real state.
    var adoptBPGApplications = true
    /// This process's name in the leases: unique per process, readable in the lease table.
    var holder: String = MonitorSettings.processHolder

    /// `<host>-<pid>-<random>`: two processes on one host (or a restarted one) never share it.
    static let processHolder: String = {
        let info = ProcessInfo.processInfo
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(info.hostName)-\(info.processIdentifier)-\(random)"
    }()

    /// What the watch selects: every application with a `proxyUser` label (the gateway's and BPG's
    /// alike) when adopting, else only the gateway's.
    var labelSelector: String {
        adoptBPGApplications ? GatewayLabels.proxyUser : GatewayLabels.managedBySelector
    }

    /// The lease name for a cluster's monitor.
    static func leaseName(cluster: String) -> String { "monitor/\(cluster)" }
}
