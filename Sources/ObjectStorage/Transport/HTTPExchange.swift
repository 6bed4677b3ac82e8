import Foundation

/// One HTTP request the client sends (already signed).
struct HTTPExchangeRequest: Sendable {
    var method: String
    var url: String
    var headers: [(String, String)]
    /// Sent from memory; callers bound it (one multipart part at most).
    var body: Data?
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
