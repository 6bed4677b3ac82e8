import Foundation

/// One HTTP request a ``CurlTransport`` sends (already signed or authenticated by its caller).
public struct HTTPExchangeRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    /// Sent from memory; callers bound it (one multipart part at most).
    public var body: Data?
    /// A body streamed from a pump instead (a single `PutObject` of a known length).
    public var stream: UploadStream?
    /// A total timeout for small calls; nil for transfers that may take long (then only an idle
    /// timeout applies).
    public var totalTimeout: Duration?
    /// No idle timeout either: for answers that may stay silent for long (a followed log).
    public var disableIdleTimeout: Bool

    public init(
        method: String, url: String, headers: [(String, String)], body: Data? = nil, stream: UploadStream? = nil,
        totalTimeout: Duration? = nil, disableIdleTimeout: Bool = false
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.stream = stream
        self.totalTimeout = totalTimeout
        self.disableIdleTimeout = disableIdleTimeout
    }
}

/// A complete (non-streamed) answer.
public struct HTTPExchangeResponse: Sendable {
    public var status: Int
    /// Lower-cased names.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A request body of `length` bytes that arrives through `pump` while the request is sent.
public struct UploadStream: Sendable {
    public let pump: UploadPump
    public let length: Int

    public init(pump: UploadPump, length: Int) {
        self.pump = pump
        self.length = length
    }
}
