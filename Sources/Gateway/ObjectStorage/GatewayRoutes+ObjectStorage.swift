import Foundation
import HTTPServing
import ObjectStorage

/// `POST <root>/s3/{name}`: BPG's artifact upload. The answer is `{"url":"s3a://<bucket>/<key>"}`.
extension GatewayRoutes {
    struct UploadResponse: Encodable { var url: String }

    @Sendable func uploadArtifact(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        guard let uploads else { throw HTTPError(501, "S3 upload is not configured") }
        do throws(ArtifactUploads.Problem) {
            try uploads.checkConfigured()
        } catch {
            throw Self.httpError(error)
        }
        // BPG requires the length up front, from the query or the header.
        let declared: Int
        if let query = request.queryValue("content-length") {
            guard let value = Int(query), value >= 0 else {
                throw HTTPError(400, "Please provide valid value for content-length in query parameter content-length")
            }
            declared = value
        } else if let header = request.headers["Content-Length"] {
            guard let value = Int(header.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw HTTPError(400, "Please provide valid value for content-length in http request header")
            }
            declared = value
        } else {
            throw HTTPError(400, "Please provide content-length in http request header or query parameter")
        }
        if declared > uploads.maxBytes {
            throw HTTPError(413, "The upload is larger than the limit of \(uploads.maxBytes) bytes (gateway.objectStorage.maxUploadBytes)")
        }
        // The route streams its body (GatewayRoutes.register); a request built in-process may
        // carry it in `body` instead.
        let body = request.bodyStream ?? HTTPRequestBody(request.body, limit: uploads.maxBytes)
        let key: String
        do throws(ArtifactUploads.Problem) {
            key = try uploads.key(name: request.pathParameters["name"] ?? "", folder: request.queryValue("folder"))
        } catch {
            throw Self.httpError(error)
        }
        do {
            let url = try await uploads.upload(body, length: declared, key: key, user: user.name)
            logger.info("uploaded artifact", metadata: ["user": "\(user.name)", "url": "\(url)", "bytes": "\(declared)"])
            return try .json(UploadResponse(url: url))
        } catch let error as ObjectStorageError {
            // The description names the S3 error code and message, never credentials.
            logger.error("artifact upload failed", metadata: ["user": "\(user.name)", "key": "\(key)", "error": "\(error)"])
            throw HTTPError(error.isTransient ? 503 : 500, "Failed to upload to s3: \(error)")
        } catch let problem as ArtifactUploads.Problem {
            throw Self.httpError(problem)
        } catch let error as HTTPError {
            // The body's own failure (length mismatch, over the limit).
            logger.info("artifact upload refused", metadata: ["user": "\(user.name)", "key": "\(key)", "error": "\(error.message)"])
            throw error
        } catch {
            // The client went away mid-body; nothing was stored and nobody reads the answer.
            logger.info("artifact upload abandoned", metadata: ["user": "\(user.name)", "key": "\(key)", "error": "\(error)"])
            throw HTTPError(400, "the request body broke off before its end")
        }
    }

    private static func httpError(_ problem: ArtifactUploads.Problem) -> HTTPError {
        switch problem {
        case .notConfigured(let message): HTTPError(501, message)
        case .invalid(let message): HTTPError(400, message)
        case .tooLarge(let limit): HTTPError(413, "The upload is larger than the limit of \(limit) bytes")
        }
    }
}
