import Foundation

/// Everything about reaching one API server that does not change per request: resolved TLS material,
/// proxy, timeouts. Built from a `KubeClientConfiguration`; holds secrets, so it has no description.
struct ConnectionProfile: Sendable {
    var clusterID: String
    /// `https://host:port` with no trailing slash, possibly with a path prefix (`https://h/k8s`).
    var baseURL: String
    /// `CURLOPT_CONNECT_TO` entry implementing `tls-server-name`: the URL names the TLS name and this
    /// sends the connection to the real address.
    var connectTo: String?
    var certificateAuthorityPEM: Data?
    var certificateAuthorityFile: String?
    var clientCertificatePEM: Data?
    var clientCertificateFile: String?
    var clientKeyPEM: Data?
    var clientKeyFile: String?
    var insecureSkipTLSVerify: Bool
    /// The proxy URL; `nil` means "no proxy" (the environment's `https_proxy` is never consulted).
    var proxy: String?
    var connectTimeout: Duration
    var requestTimeout: Duration
    /// Watches and followed logs end with a timeout when no byte arrives for this long.
    var idleTimeout: Duration
    var userAgent: String
    var maxResponseBytes: Int
    var streamBufferBytes: Int
}

/// One HTTP exchange to submit to the multi loop.
struct TransportRequest: Sendable {
    var method: String
    /// Path and query, starting with `/`.
    var pathAndQuery: String
    var headers: [(name: String, value: String)]
    var body: Data?
    /// Streaming requests deliver the body chunk by chunk and use the idle timeout instead of the
    /// total request timeout.
    var streaming: Bool
    /// Client certificate supplied by an exec credential plugin, overriding the profile's.
    var clientCertificatePEM: Data?
    var clientKeyPEM: Data?

    init(
        method: String, pathAndQuery: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        streaming: Bool = false
    ) {
        self.method = method
        self.pathAndQuery = pathAndQuery
        self.headers = headers
        self.body = body
        self.streaming = streaming
    }
}

/// A complete (buffered) answer. Header names are lower-cased.
struct TransportResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data
}

/// A libcurl failure: the CURLcode, its category and the error buffer's text.
struct TransferFailure: Error, Sendable {
    enum Kind: Sendable {
        /// Nothing reached the server: the TCP connection was refused or unreachable.
        case connectionRefused, dns, tls, timeout
        /// The connection closed after the request was sent, with no answer at all.
        case emptyReply
        /// Connected, then broken (reset, garbled answer): the request may have reached the server.
        case other
        case cancelled, shutdown, tooLarge
        /// libcurl refused the request before connecting (a bad URL or option): nothing was sent.
        case setup
    }
    var kind: Kind
    var curlCode: Int
    /// Which libcurl call failed, for example `curl_easy_setopt(CURLOPT_URL)`.
    var function: String
    var message: String

    func kubeError(clusterID: String) -> KubeError {
        let code: KubeError.Code
        switch kind {
        case .connectionRefused: code = .connectionRefused
        case .dns: code = .dnsFailure
        case .tls: code = .tlsFailure
        case .timeout: code = .timeout
        case .emptyReply: code = .emptyReply
        case .other: code = .transport
        case .cancelled: code = .cancelled
        case .shutdown: code = .shutdown
        case .tooLarge: code = .tooLarge
        case .setup: code = .configuration
        }
        let detail = message.isEmpty ? "" : ": \(message)"
        return KubeError(code: code, clusterID: clusterID, message: "\(function) failed (\(curlCode))\(detail)")
    }
}

/// How a transfer ends, as seen by the caller's continuation.
enum TransferOutcome: Sendable {
    /// A buffered response, or a streaming request's non-2xx answer read to the end.
    case response(TransportResponse)
    /// A streaming request's 2xx head; the body follows through the buffer.
    case stream(status: Int, headers: [String: String], body: StreamBuffer)
    case failure(TransferFailure)
}
