import Foundation
import GatewayCore
import HTTPServing
import YAML

/// Turns a `POST /spark` body into a request: YAML when the content type says so (as BPG), JSON
/// otherwise, and 415 for content types that are clearly neither.
enum RequestBodyParser {
    static func parse(body: Data, contentType: String?) throws -> SubmitApplicationRequest {
        let type = contentType?.lowercased() ?? ""
        if type.contains("yaml") {
            do {
                return try YAMLDecoder().decode(SubmitApplicationRequest.self, from: body)
            } catch let error as SubmissionError {
                throw HTTPError(400, "Invalid YAML request: \(error.message)")
            } catch {
                throw HTTPError(400, "Invalid YAML request: \(error)")
            }
        }
        if isClearlyNotJSON(type) {
            throw HTTPError(
                415, "Unsupported Content-Type '\(contentType ?? "")': send JSON (application/json) or YAML (application/yaml)")
        }
        return try SubmitApplicationRequest.decode(json: body)
    }

    /// BPG parses every non-YAML body as JSON, and curl's `-d` sends `x-www-form-urlencoded`, so only
    /// types that cannot carry JSON text are refused.
    private static func isClearlyNotJSON(_ type: String) -> Bool {
        let refused = ["multipart/", "image/", "audio/", "video/", "application/xml", "text/xml", "application/zip", "application/gzip"]
        return refused.contains { type.hasPrefix($0) }
    }
}
