import GatewayCore
import HTTPServing

/// Core's errors carry their status; they answer with BPG's error body.
extension SubmissionError: HTTPResponseError {
    public func response() -> HTTPResponse {
        HTTPError(status, message).response()
    }
}
