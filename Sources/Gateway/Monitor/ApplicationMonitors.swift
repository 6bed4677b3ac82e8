import Foundation
import GatewayCore
import Logging
import Persistence

/// One `ApplicationMonitor` per configured cluster, weight-0 (drained) clusters included.
final class ApplicationMonitors: Sendable {
    let monitors: [ApplicationMonitor]
    private let byCluster: [String: ApplicationMonitor]

    init(clusters: ClusterDirectory, store: any SubmissionStore, configuration: GatewayConfiguration,
        settings: MonitorSettings, logger: Logger, statusChanges: StatusChangeSignal? = nil, archiver: LogArchiver? = nil)
    {
        let rates: CostRates? =
            if let memory = configuration.memoryMbSecondCost, let cores = configuration.vCoreSecondCost {
                CostRates(vCoreSecond: cores, memoryMbSecond: memory)
            } else {
                nil
            }
        monitors = clusters.clusters.map {
            ApplicationMonitor(
                cluster: $0, store: store, settings: settings, rates: rates, logger: logger, statusChanges: statusChanges,
                archiver: archiver)
        }
        byCluster = Dictionary(monitors.map { ($0.cluster.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The monitor of a cluster.
    func monitor(cluster id: String) -> ApplicationMonitor? { byCluster[id] }

    /// Starts every cluster's lease loop.
    func start() {
        for monitor in monitors { monitor.start() }
    }

    /// Stops every watch and lease loop; `releasingLeases: false` behaves like a killed process.
    func stop(releasingLeases: Bool = true) async {
        await withDiscardingTaskGroup { group in
            for monitor in monitors {
                group.addTask { await monitor.stop(releasingLease: releasingLeases) }
            }
        }
    }

    /// Backlog per cluster this replica monitors (pending and running applications), for
    /// backlog-aware routing. Clusters monitored by another replica are absent.
    func load() -> [String: ClusterLoad] {
        var loads: [String: ClusterLoad] = [:]
        for monitor in monitors {
            if let load = monitor.load { loads[monitor.cluster.id] = load }
        }
        return loads
    }

    /// Whether the records of a cluster are fed by a monitor (here or on another replica), so status
    /// can be answered from them.
    func recordsAreMonitored(cluster id: String) -> Bool {
        byCluster[id]?.recordsAreMonitored ?? false
    }

    /// Events handled by all monitors of this replica.
    var eventsProcessed: Int { monitors.reduce(0) { $0 + $1.eventsProcessed } }

    /// Events handled per cluster (`bpg_monitor_events_total`).
    func eventsByCluster() -> [String: Int] {
        Dictionary(monitors.map { ($0.cluster.id, $0.eventsProcessed) }, uniquingKeysWith: +)
    }

    /// The last event's lag per cluster whose monitor is active here (`bpg_monitor_lag_seconds`).
    func lagSecondsByCluster() -> [String: Double] {
        var lags: [String: Double] = [:]
        for monitor in monitors where monitor.isActive {
            let lag = monitor.lastEventLag.components
            lags[monitor.cluster.id] = Double(lag.seconds) + Double(lag.attoseconds) / 1e18
        }
        return lags
    }
}
