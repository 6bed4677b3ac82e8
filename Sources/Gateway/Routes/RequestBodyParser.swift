import Foundation
import GatewayCore
import HTTPServing
import YAML

/// Turns a `POST /spark` body into a request: YAML when the content type says so (as BPG), JSON
/// otherwise, and 415 for content types that are clearly neither.
enum RequestBodyParser {
    static func parse(body: Data, contentType: String?) throws -> SubmitApplicationRequest {
        let type = contentType?.lowercased() ?? ""
        // Both formats are UTF-8 text; a decoder that repairs or skips bad bytes would store a
        // value the client never sent, so the whole body is refused before parsing.
        if let offset = firstInvalidUTF8Offset(body) {
            throw HTTPError(400, "Invalid request body: not valid UTF-8 (at byte \(offset))")
        }
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

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8Offset(_ body: Data) -> Int? {
        var iterator = body.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// BPG parses every non-YAML body as JSON, and curl's `-d` sends `x-www-form-urlencoded`, so only
    /// types that cannot carry JSON text are refused.
    private static func isClearlyNotJSON(_ type: String) -> Bool {
        let refused = ["multipart/", "image/", "audio/", "video/", "application/xml", "text/xml", "application/zip", "application/gzip"]
        return refused.contains { type.hasPrefix($0) }
    }
}
