import GatewayCore
import HTTPServing

extension GatewayRoutes {
    /// The live status stream. The status read first applies status's rules exactly (404 for an
    /// unknown id, 403 for another user's submission when ownership is enforced), so a client never
    /// gets a different answer from `/events` than from `/status`.
    @Sendable func events(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let statusStream else { throw GatewayError(.notFound, "HTTP 404 Not Found") }
        _ = try await queries.status(of: id, for: user)
        return try statusStream.response(submissionId: id, request: request)
    }
}
