import Foundation

/// A key of BPG's configuration that is present and takes no effect here (yet): named at startup, so
/// no setting a BPG user relies on is dropped silently.
public struct UnsupportedSetting: Hashable, Sendable, CustomStringConvertible {
    /// The key path, for example `s3Bucket` or `logging.loggers`.
    public var key: String
    /// What does not happen, and what to do instead.
    public var reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "\(key): \(reason)" }
}

extension GatewayConfiguration {
    /// Every key present in this configuration that takes no effect, with why. Unknown keys are
    /// reported separately (``LoadedConfiguration/unknownKeys``); this lists keys BPG knows.
    public var unsupportedSettings: [UnsupportedSetting] {
        var settings: [UnsupportedSetting] = []
        func add(_ key: String, _ reason: String) { settings.append(UnsupportedSetting(key: key, reason: reason)) }

        if let bucket = s3Bucket, bucket.lowercased().hasPrefix("gs://") {
            add("s3Bucket", "not supported: uploads to Google Cloud Storage (gs://) answer 501; only S3 and S3-compatible stores are")
        }
        if let bucket = sparkLogS3Bucket, bucket.lowercased().hasPrefix("gs://") {
            add("sparkLogS3Bucket", "not supported: logs are archived to S3 and S3-compatible stores only, not Google Cloud Storage (gs://)")
        }
        if sparkHistoryUrl != nil {
            add("sparkHistoryUrl", "not supported yet: the Spark History Server is never queried (sparkHistoryDns links still work)")
        }
        if adminUsers != nil, gateway.auth.adminUsers == nil {
            add(
                "adminUsers",
                "does not restrict /admin/* (BPG never used it either); set gateway.auth.adminUsers to make it an admin list"
                    + (gateway.auth.enforceOwnership ? " (with enforceOwnership these users may already act on any submission)" : ""))
        }
        for key in ["sparkLogIndex", "batchFileLimit", "gatewayDns", "eksCluster"] where isSet(key) {
            add(key, "unused, as in BPG")
        }
        for (index, cluster) in sparkClusters.enumerated() {
            if cluster.eksCluster != nil {
                add("sparkClusters[\(index)].eksCluster", "unused here (BPG only tagged StatsD metrics with it)")
            }
            for (role, spec) in [("driver", cluster.driver), ("executor", cluster.executor)] {
                for key in Self.podSpecKeys(spec) where key != "env" && key != "volumeMounts" {
                    add("sparkClusters[\(index)].\(role).\(key)", "unused: only env and volumeMounts apply, as in BPG")
                }
            }
        }
        for (index, queue) in (queues ?? []).enumerated() {
            if let picker = queue.zonePickerName, picker.lowercased() != "round_robin" {
                add("queues[\(index)].zonePickerName", "'\(picker)' does not exist; round_robin is used (the only picker, as in BPG)")
            }
        }
        settings += loggingSettings
        settings += connectorSettings(server?.applicationConnectors, name: "server.applicationConnectors")
        settings += connectorSettings(server?.adminConnectors, name: "server.adminConnectors")
        return settings
    }

    /// The gateway's log threshold named by Dropwizard's `logging.level` (`INFO`, `WARN`, …), as one
    /// of the gateway's level names (`info`, `warning`, …); nil when absent or not a level.
    public var dropwizardLogLevel: String? {
        guard case .mapping(let logging)? = logging, case .scalar(let level)? = logging["level"] else { return nil }
        return Self.dropwizardLevels[level.uppercased()]
    }

    /// Dropwizard (Logback) level → the gateway's level name.
    static let dropwizardLevels = [
        "ALL": "trace", "TRACE": "trace", "DEBUG": "debug", "INFO": "info", "WARN": "warning", "WARNING": "warning",
        "ERROR": "error", "OFF": "critical",
    ]

    private var loggingSettings: [UnsupportedSetting] {
        guard let logging else { return [] }
        guard case .mapping(let keys) = logging else {
            return [UnsupportedSetting(key: "logging", reason: "not a mapping; ignored")]
        }
        var settings: [UnsupportedSetting] = []
        for key in keys.keys.sorted() {
            switch key {
            case "level":
                if dropwizardLogLevel == nil {
                    settings.append(
                        UnsupportedSetting(
                            key: "logging.level", reason: "not a level (TRACE, DEBUG, INFO, WARN, ERROR, OFF); the default applies"))
                }
            case "loggers":
                settings.append(
                    UnsupportedSetting(key: "logging.loggers", reason: "per-logger levels are not supported; logging.level applies to all"))
            case "appenders":
                settings.append(
                    UnsupportedSetting(
                        key: "logging.appenders",
                        reason: "not supported: logs go to standard error as JSON lines (or logfmt with --log-format)"))
            default:
                settings.append(UnsupportedSetting(key: "logging.\(key)", reason: "not supported; ignored"))
            }
        }
        return settings
    }

    private func connectorSettings(_ connectors: [ServerConfiguration.Connector]?, name: String) -> [UnsupportedSetting] {
        guard let connectors else { return [] }
        var settings: [UnsupportedSetting] = []
        if let type = connectors.first?.type, type.lowercased() != "http" {
            settings.append(
                UnsupportedSetting(
                    key: "\(name)[0].type", reason: "'\(type)' is not supported: plain HTTP is served; terminate TLS in front"))
        }
        if connectors.count > 1 {
            settings.append(UnsupportedSetting(key: "\(name)[1...]", reason: "only the first connector is served"))
        }
        return settings
    }

    /// The keys a cluster's pod spec sets, read from its encoding (nil members are not encoded).
    private static func podSpecKeys(_ spec: SparkPodSpec?) -> [String] {
        guard let spec, let data = try? JSONEncoder().encode(spec),
            let object = try? JSONDecoder().decode([String: ConfigurationTree].self, from: data)
        else { return [] }
        return object.keys.sorted()
    }

    private func isSet(_ key: String) -> Bool {
        switch key {
        case "sparkLogIndex": sparkLogIndex != nil
        case "batchFileLimit": batchFileLimit != nil
        case "gatewayDns": gatewayDns != nil
        case "eksCluster": eksCluster != nil
        default: false
        }
    }
}
