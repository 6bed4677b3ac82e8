import Foundation
import GatewayCore

/// How a process started the way BPG's container starts reads its environment: which config file,
/// whether the application monitor runs. The executable passes its environment in; nothing here reads
/// the process environment itself.
public enum LaunchEnvironment {
    /// BPG's Helm chart: `CONFIG_FILE_PATH` names the plain config file; `GZ_FILE_PATH` the gzipped,
    /// base64-encoded one (chart value `encodedConfig`), which BPG's start script unpacks to
    /// `CONFIG_FILE_PATH` when it exists.
    public static let configFileVariable = "CONFIG_FILE_PATH"
    public static let gzipFileVariable = "GZ_FILE_PATH"
    /// BPG's monitor switch (its Helm chart sets `APP_MONITOR_ENABLED=true` on the monitor replica).
    public static let bpgMonitorVariable = "APP_MONITOR_ENABLED"
    /// The gateway's own switch; wins over BPG's when both are set.
    public static let monitorVariable = "BPG_MONITOR_ENABLED"

    /// Why no config file could be chosen.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The config file for `bpg server [FILE]`: FILE when given; else `$GZ_FILE_PATH` when that file
    /// exists (the chart mounts only one of the two); else `$CONFIG_FILE_PATH`.
    public static func configPath(
        explicit: String?, environment: [String: String], fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws(Failure) -> String {
        if let explicit { return explicit }
        if let gzip = environment[gzipFileVariable], !gzip.isEmpty, fileExists(gzip) { return gzip }
        if let plain = environment[configFileVariable], !plain.isEmpty { return plain }
        throw Failure(description: "server needs a config FILE, or \(configFileVariable) (or \(gzipFileVariable)) in the environment")
    }

    /// Whether the application monitor runs. On by default: unlike BPG's, it elects a leader through
    /// the store, so every replica may run it and one works at a time. `BPG_MONITOR_ENABLED`, else
    /// BPG's `APP_MONITOR_ENABLED`, set to `false` turns it off (`true` keeps it on; anything else is
    /// an error naming the variable, so a typo is not silently taken for either).
    public static func monitorEnabled(environment: [String: String]) throws(Failure) -> Bool {
        for name in [monitorVariable, bpgMonitorVariable] {
            guard let value = environment[name] else { continue }
            switch value.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true": return true
            case "false": return false
            default: throw Failure(description: "\(name) must be true or false, not '\(value)'")
            }
        }
        return true
    }
}

extension LaunchEnvironment {
    /// For crash tests only: holds the background write of successful creates' outcomes this many
    /// milliseconds (``GatewayService/Options/createdOutcomeDelay``). Unset, empty or not a number: none.
    public static let createdOutcomeDelayVariable = "BPG_DEBUG_CREATED_OUTCOME_DELAY_MS"

    static func createdOutcomeDelay(environment: [String: String]) -> Duration {
        guard let value = environment[createdOutcomeDelayVariable], let millis = Int(value), millis > 0 else { return .zero }
        return .milliseconds(min(millis, 600_000))
    }
}

/// Reads a configuration file in any form BPG's deployments use: plain YAML or JSON, gzip, or base64
/// of gzip (the Helm chart's `encodedConfig`).
public enum ConfigurationFile {
    /// A loaded configuration and the form its file was in.
    public struct Loaded: Sendable {
        public var configuration: LoadedConfiguration
        public var form: EncodedConfiguration.Form
    }

    public static func load(path: String) throws(ConfigurationLoader.Failure) -> Loaded {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationLoader.Failure(file: path, problems: ["cannot read the file: \(error.localizedDescription)"])
        }
        let document: Data
        let form: EncodedConfiguration.Form
        do {
            (document, form) = try EncodedConfiguration.decode(data)
        } catch {
            throw ConfigurationLoader.Failure(file: path, problems: ["\(error)"])
        }
        return Loaded(configuration: try ConfigurationLoader.load(data: document, name: path), form: form)
    }
}
