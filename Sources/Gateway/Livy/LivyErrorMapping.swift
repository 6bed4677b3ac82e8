import Foundation
import GatewayCore
import HTTPServing

/// The one place where errors on the Livy routes become Livy's answers: the status the gateway's
/// mapping gives (`GatewayError+HTTP.swift`), its headers (`Retry-After`, `WWW-Authenticate`), and
/// Livy's body `{"msg": "…"}` instead of BPG's `{"code", "message"}`; validation messages name
/// Livy's fields. Anything else is rethrown, so the server answers a bare 500 and logs the detail.
enum LivyErrorMapping {
    static func livyErrors(_ handler: @escaping HTTPHandler) -> HTTPHandler {
        { request in
            do {
                return try await handler(request)
            } catch let error as HTTPResponseError {
                return livyResponse(error)
            }
        }
    }

    static func livyResponse(_ error: any HTTPResponseError) -> HTTPResponse {
        let mapped = error.response()
        let message: String
        switch error {
        case let error as SubmissionError:
            message = error.status == 400 ? LivyBatchRequest.livyFieldNames(in: error.message) : error.message
        case let error as GatewayError:
            message = error.httpStatus == 400 ? LivyBatchRequest.livyFieldNames(in: error.message) : error.message
        case let error as HTTPError:
            message = error.message
        default:
            // A response error of another kind already has the body it wants.
            return mapped
        }
        var response = HTTPResponse.json((try? JSONEncoder().encode(LivyMessage(msg: message))) ?? Data(#"{"msg":"error"}"#.utf8), status: mapped.status)
        for (name, value) in mapped.headers where name.lowercased() != "content-type" && name.lowercased() != "content-length" {
            response.headers.add(name, value)
        }
        return response
    }

    /// Livy's answer for a batch id nobody knows (its own wording).
    static func notFound(_ batchId: Int64) -> HTTPError {
        HTTPError(404, "Session '\(batchId)' not found.")
    }
}
