import Foundation

/// A small logging facade shaped like swift-log: a label, levels, lazily built messages and metadata.
///
/// Libraries take a `Logger` in their configuration and log at `.debug`/`.trace`; the executable
/// decides where lines go by choosing the `LogHandler`. Never pass secrets as messages or metadata.
///
/// ```swift
/// var logger = Logger(label: "bpg.server", handler: JSONLinesLogHandler.standardError)
/// logger[metadataKey: "request_id"] = "r-42"
/// logger.info("submission accepted", metadata: ["cluster": "spark-cluster-a"])
/// ```
public struct Logger: Sendable {
    /// Severity, ordered from the most verbose to the most severe.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        /// Parses `trace`, `debug`, `info`, `notice`, `warning` (or `warn`), `error`, `critical`.
        public init?(name: String) {
            let lowered = name.lowercased()
            if lowered == "warn" { self = .warning; return }
            guard let level = Level.allCases.first(where: { $0.description == lowered }) else { return nil }
            self = level
        }
    }

    /// Structured values attached to a line.
    public typealias Metadata = [String: String]

    /// The component that logs, for example `bpg.kube` or `bpg.store`.
    public let label: String
    /// Lines below this level are dropped before their message is built.
    public var logLevel: Level
    /// Metadata added to every line of this logger (a request id, a cluster id).
    public var metadata: Metadata
    private let handler: any LogHandler

    public init(label: String, level: Level = .info, handler: any LogHandler = DiscardingLogHandler()) {
        self.label = label
        self.logLevel = level
        self.metadata = [:]
        self.handler = handler
    }

    /// A logger that drops everything: the default for libraries whose caller passes none.
    public static var disabled: Logger { Logger(label: "disabled", level: .critical, handler: DiscardingLogHandler()) }

    public subscript(metadataKey key: String) -> String? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// A copy with another label and the same level, metadata and handler.
    public func withLabel(_ label: String) -> Logger {
        var copy = Logger(label: label, level: logLevel, handler: handler)
        copy.metadata = metadata
        return copy
    }

    public func log(
        _ level: Level, _ message: @autoclosure () -> String, metadata extra: @autoclosure () -> Metadata = [:]
    ) {
        guard level >= logLevel else { return }
        var merged = metadata
        for (key, value) in extra() { merged[key] = value }
        handler.write(LogRecord(date: Date(), level: level, label: label, message: message(), metadata: merged))
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.trace, message(), metadata: metadata())
    }
    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.debug, message(), metadata: metadata())
    }
    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.info, message(), metadata: metadata())
    }
    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.notice, message(), metadata: metadata())
    }
    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.warning, message(), metadata: metadata())
    }
    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.error, message(), metadata: metadata())
    }
    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(.critical, message(), metadata: metadata())
    }
}

/// One log line, as handed to a `LogHandler`.
public struct LogRecord: Sendable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: Logger.Metadata
}

/// Where log lines go. Implementations must be safe to call from any thread.
public protocol LogHandler: Sendable {
    func write(_ record: LogRecord)
}

/// Drops every line.
public struct DiscardingLogHandler: LogHandler {
    public init() {}
    public func write(_ record: LogRecord) {}
}
