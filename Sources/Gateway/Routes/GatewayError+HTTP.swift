import GatewayCore
import HTTPServing

/// The one place where the services' errors become HTTP answers: status, BPG's error body
/// `{"code": N, "message": "…"}` and `Retry-After`.
extension GatewayError: HTTPResponseError {
    /// The HTTP status for this error.
    public var httpStatus: Int {
        switch code {
        case .badRequest: return 400
        case .unsupportedMediaType: return 415
        case .notFound: return 404
        case .forbidden: return 403
        case .conflict: return 409
        case .unavailable: return 503
        case .badGateway: return 502
        case .clusterRejected: return clusterStatus.flatMap { (400..<500).contains($0) ? $0 : nil } ?? 502
        default: return 500
        }
    }

    public func response() -> HTTPResponse {
        var headers = HTTPHeaders()
        if let retryAfterSeconds { headers["Retry-After"] = String(retryAfterSeconds) }
        return HTTPError(httpStatus, message, headers: headers).response()
    }
}

/// Core's errors carry their status; they answer with BPG's error body.
extension SubmissionError: HTTPResponseError {
    public func response() -> HTTPResponse {
        HTTPError(status, message).response()
    }
}
