import Foundation

/// One HTTP request the client sends (already signed).
struct HTTPExchangeRequest: Sendable {
    var method: String
    var url: String
    var headers: [(String, String)]
    /// Sent from memory; callers bound it (one multipart part at most).
    var body: Data?
    /// A body streamed from a pump instead (a single `PutObject` of a known length).
    var stream: UploadStream? = nil
    /// A total timeout for small calls; nil for transfers that may take long (then only an idle
    /// timeout applies).
    var totalTimeout: Duration?
}

/// A complete (non-streamed) answer.
struct HTTPExchangeResponse: Sendable {
    var status: Int
    /// Lower-cased names.
    var headers: [String: String]
    var body: Data
}

/// A request body of `length` bytes that arrives through `pump` while the request is sent.
struct UploadStream: Sendable {
    let pump: UploadPump
    let length: Int
}
