import Foundation
import JSON

/// A failure talking to one Kubernetes cluster: an API error decoded from `metav1.Status`, a transport
/// failure (from libcurl), a response that could not be decoded, or a configuration/credential problem.
///
/// Branch on `code`; every error carries the cluster id it happened on, and `isRetriable` tells a
/// failover policy whether another attempt (here or on another cluster) makes sense.
///
/// ```swift
/// do { _ = try await client.get(Pod.self, .pods, namespace: "spark", name: "x") }
/// catch let error as KubeError where error.code == .notFound { … }
/// ```
///
/// Descriptions never contain credentials: they hold the cluster id, the code, the HTTP status and
/// the server's (or libcurl's) message only.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, stable and short enough to be a metric label (`description`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case badRequest, unauthorized, forbidden, notFound, methodNotAllowed, alreadyExists, conflict
            case gone, invalid, tooManyRequests, serverError, unexpectedStatus
            case connectionRefused, dnsFailure, tlsFailure, timeout, transport, emptyReply
            case decoding, configuration, credentials, cancelled, shutdown, tooLarge
        }
        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// 400, the request was malformed.
        public static let badRequest = Code(.badRequest)
        /// 401, the credentials were missing or rejected.
        public static let unauthorized = Code(.unauthorized)
        /// 403, the identity may not do this.
        public static let forbidden = Code(.forbidden)
        /// 404, the object (or the resource type) does not exist.
        public static let notFound = Code(.notFound)
        /// 405, the verb is not supported on this path.
        public static let methodNotAllowed = Code(.methodNotAllowed)
        /// 409 with reason `AlreadyExists`: a create met an existing name.
        public static let alreadyExists = Code(.alreadyExists)
        /// 409 otherwise: an update carried a stale `resourceVersion`.
        public static let conflict = Code(.conflict)
        /// 410 (`Gone`/`Expired`): the requested `resourceVersion` or `continue` token is too old.
        public static let gone = Code(.gone)
        /// 422: the object failed validation; see `causes`.
        public static let invalid = Code(.invalid)
        /// 429: throttled; see `retryAfter`.
        public static let tooManyRequests = Code(.tooManyRequests)
        /// 5xx from the API server.
        public static let serverError = Code(.serverError)
        /// Any other non-success HTTP status.
        public static let unexpectedStatus = Code(.unexpectedStatus)
        /// TCP connection refused or unreachable (`CURLE_COULDNT_CONNECT`).
        public static let connectionRefused = Code(.connectionRefused)
        /// Host or proxy name did not resolve.
        public static let dnsFailure = Code(.dnsFailure)
        /// TLS handshake or certificate verification failed.
        public static let tlsFailure = Code(.tlsFailure)
        /// Connect, total or idle (low-speed) timeout.
        public static let timeout = Code(.timeout)
        /// The connection closed after the request was sent, without any answer (`CURLE_GOT_NOTHING`):
        /// typically a load balancer in front of the API server that accepted the connection and
        /// dropped it. Whether the server acted on the request is unknown.
        public static let emptyReply = Code(.emptyReply)
        /// Any other transport failure once connected: connection reset while sending or receiving, a
        /// garbled answer, HTTP/2 framing, … (the request may have reached the server).
        public static let transport = Code(.transport)
        /// A response body was not the JSON expected.
        public static let decoding = Code(.decoding)
        /// The cluster configuration is unusable (missing CA, bad URL, unreadable file, …).
        public static let configuration = Code(.configuration)
        /// Credentials could not be obtained (token file unreadable, exec plugin failed, …).
        public static let credentials = Code(.credentials)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The client was shut down.
        public static let shutdown = Code(.shutdown)
        /// A watch line or response exceeded the configured bound.
        public static let tooLarge = Code(.tooLarge)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The cluster the call was made to.
    public let clusterID: String
    /// The HTTP status, when a response arrived.
    public let httpStatus: Int?
    /// The decoded `metav1.Status`, when the server sent one.
    public let status: Status?
    /// How long the server asked us to wait (429 `Retry-After`, or `details.retryAfterSeconds`).
    public let retryAfter: Duration?
    /// A short, credential-free explanation (the server's message, or libcurl's error buffer).
    public let message: String

    public init(
        code: Code, clusterID: String, httpStatus: Int? = nil, status: Status? = nil,
        retryAfter: Duration? = nil, message: String
    ) {
        self.code = code
        self.clusterID = clusterID
        self.httpStatus = httpStatus
        self.status = status
        self.retryAfter = retryAfter
        self.message = message
    }

    /// Field-level validation failures (422 `Invalid`), empty otherwise.
    public var causes: [Status.Cause] { status?.details?.causes ?? [] }

    /// Whether trying again (possibly on another cluster) may succeed: transport failures, 5xx and
    /// 429 are retriable; 4xx answers, decoding and configuration problems are not.
    public var isRetriable: Bool {
        switch code.base {
        case .connectionRefused, .dnsFailure, .tlsFailure, .timeout, .transport, .emptyReply, .serverError, .tooManyRequests:
            return true
        default:
            return false
        }
    }

    /// Whether a write may have been carried out although no success arrived: a timeout, a connection
    /// broken after the request was sent (reset, empty reply), a 5xx (an API server answers 500 or 504
    /// when its storage is slow, and the write can still land), or the call cancelled or shut down
    /// midway. For a create, such an outcome is unknown, never a failure: the object may exist now or
    /// appear later. Connection refused, DNS and TLS failures happen before anything is sent.
    public var outcomeIsUnknown: Bool {
        switch code.base {
        case .timeout, .transport, .emptyReply, .serverError, .cancelled, .shutdown: return true
        default: return false
        }
    }

    /// 401 or 403: the cluster refused the gateway's own credentials or permissions. That is a fault of
    /// the gateway's setup for that cluster, not of the caller, and another cluster may take the work.
    public var rejectsGatewayCredentials: Bool {
        code.base == .unauthorized || code.base == .forbidden
    }

    /// Whether the failure happened before or without any HTTP answer (the server may be down).
    public var isTransportFailure: Bool {
        switch code.base {
        case .connectionRefused, .dnsFailure, .tlsFailure, .timeout, .transport, .emptyReply: return true
        default: return false
        }
    }

    public var description: String {
        var text = "kubernetes cluster '\(clusterID)': \(code)"
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}

extension KubeError {
    /// Maps a non-success HTTP answer to an error, decoding the `metav1.Status` body when there is one.
    static func fromResponse(clusterID: String, httpStatus: Int, headers: [String: String], body: Data) -> KubeError {
        let status = try? JSONValueDecoder().decode(Status.self, from: body)
        let decodedStatus = status?.kind == "Status" || status?.reason != nil || status?.code != nil ? status : nil
        let reason = decodedStatus?.reason ?? ""
        let code: Code
        switch httpStatus {
        case 400: code = .badRequest
        case 401: code = .unauthorized
        case 403: code = .forbidden
        case 404: code = .notFound
        case 405: code = .methodNotAllowed
        case 409: code = reason == "AlreadyExists" ? .alreadyExists : .conflict
        case 410: code = .gone
        case 422: code = .invalid
        case 429: code = .tooManyRequests
        case 500...599: code = .serverError
        default: code = .unexpectedStatus
        }
        var retryAfter: Duration?
        if let header = headers["retry-after"], let seconds = Int(header.trimmingCharacters(in: .whitespaces)) {
            retryAfter = .seconds(seconds)
        } else if let seconds = decodedStatus?.details?.retryAfterSeconds {
            retryAfter = .seconds(seconds)
        }
        var message = decodedStatus?.message ?? ""
        if message.isEmpty {
            // Not a Status (a proxy's HTML page, say): keep a short, printable prefix of the body.
            message = String(decoding: body.prefix(200), as: UTF8.self)
                .components(separatedBy: .newlines).joined(separator: " ")
        }
        return KubeError(
            code: code, clusterID: clusterID, httpStatus: httpStatus, status: decodedStatus,
            retryAfter: retryAfter, message: message)
    }
}
