/// What an informer-style watch delivers.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The full current state after a (re-)list: the first event, and again after the server
    /// expired our version (410). Replace any cache with these objects.
    case resynced([Object])
}

extension WatchEvent: Equatable where Object: Equatable {}

/// Options for a watch.
public struct WatchOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Ask the server for BOOKMARK events, so reconnects resume from a recent version.
    public var allowWatchBookmarks: Bool
    /// Server-side lifetime of one watch request (the stream then ends cleanly and is reopened);
    /// `nil` picks a random value between 5 and 10 minutes, as client-go does, to spread reconnects.
    public var timeoutSeconds: Int?
    /// Page size of the (re-)lists.
    public var listPageSize: Int
    /// Reconnect backoff.
    public var backoff: WatchBackoff

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, allowWatchBookmarks: Bool = true,
        timeoutSeconds: Int? = nil, listPageSize: Int = 500, backoff: WatchBackoff = WatchBackoff()
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.allowWatchBookmarks = allowWatchBookmarks
        self.timeoutSeconds = timeoutSeconds
        self.listPageSize = listPageSize
        self.backoff = backoff
    }
}

/// Exponential backoff with jitter for watch reconnects: attempt `n` (from 1) waits
/// `min(maximum, initial × 2^(n-1))`, scaled by a random factor in `[1 - jitter, 1]`.
public struct WatchBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    /// Fraction of the delay that is random, in `0...1`.
    public var jitter: Double

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), jitter: Double = 0.5) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before attempt `attempt` (≥ 1), given a uniform random `unit` in `[0, 1)`.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        var base = initial * (1 << exponent)
        if base > maximum || base < .zero { base = maximum }
        let factor = 1 - jitter * min(max(unit, 0), 1)
        return base * factor
    }
}
