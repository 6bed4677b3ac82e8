import Foundation

extension GatewaySettings {
    /// `gateway.statusStream`: the live status stream, `GET <root>/spark/{id}/events` (docs/api.md).
    public struct StatusStream: Codable, Hashable, Sendable {
        /// Streams open at once on this replica; one more gets 503 with `Retry-After`. Default 256
        /// (each holds a connection of `gateway.http.maxConnections`).
        public var maxStreams: Int = 256
        /// How often an open stream reads the submission's history, which other replicas' monitors
        /// also write. This replica's monitor wakes its streams at once. Default 1000.
        public var pollIntervalMillis: Int = 1000
        /// A `: heartbeat` comment after this long without an event, so proxies and clients see the
        /// connection is alive. Default 15000.
        public var heartbeatMillis: Int = 15000

        public init() {}

        enum CodingKeys: String, CodingKey { case maxStreams, pollIntervalMillis, heartbeatMillis }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxStreams = try c.decodeIfPresent(Int.self, forKey: .maxStreams) ?? 256
            pollIntervalMillis = try c.decodeIfPresent(Int.self, forKey: .pollIntervalMillis) ?? 1000
            heartbeatMillis = try c.decodeIfPresent(Int.self, forKey: .heartbeatMillis) ?? 15000
        }

        /// Problems with these settings, as (key path, message).
        func problems() -> [(path: String, message: String)] {
            var problems: [(path: String, message: String)] = []
            if !(0...100_000).contains(maxStreams) {
                problems.append(("gateway.statusStream.maxStreams", "must be 0-100000 (0 turns the stream off)"))
            }
            if !(10...60_000).contains(pollIntervalMillis) {
                problems.append(("gateway.statusStream.pollIntervalMillis", "must be 10-60000"))
            }
            if !(10...3_600_000).contains(heartbeatMillis) {
                problems.append(("gateway.statusStream.heartbeatMillis", "must be 10-3600000"))
            }
            return problems
        }
    }

    /// `gateway.webUI`: the pages the gateway serves for people (docs/web-ui.md).
    public struct WebUI: Codable, Hashable, Sendable {
        /// Default true: the UI is served at `/` and under `<applicationContextPath>/ui/`.
        public var enabled: Bool = true

        public init() {}

        enum CodingKeys: String, CodingKey { case enabled }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        }
    }
}
