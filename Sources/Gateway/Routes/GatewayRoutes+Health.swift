import Foundation
import HTTPServing

/// `GET <root>/admin/clusters` and the idempotency key of `POST <root>/spark`.
extension GatewayRoutes {
    /// The per-cluster health report for admins (the route checks the admin rule first).
    func clusterHealthResponse() throws -> HTTPResponse {
        guard let health = submissions.health else { throw HTTPError(404, "Cluster health is not tracked") }
        return try .json(health.report())
    }

    /// The idempotency key of a submit: the `Idempotency-Key` header, or for clients that cannot set
    /// headers the `idempotencyKey` query parameter. Both present and different is a 400.
    static func idempotencyKey(_ request: HTTPRequest) throws -> String? {
        let header = request.headers["Idempotency-Key"].flatMap { $0.isEmpty ? nil : $0 }
        let query = request.queryValue("idempotencyKey").flatMap { $0.isEmpty ? nil : $0 }
        if let header, let query, header != query {
            throw HTTPError(400, "Idempotency-Key header and idempotencyKey query parameter differ")
        }
        if let header {
            try SubmissionService.validateIdempotencyKey(header, field: "Idempotency-Key header")
            return header
        }
        if let query {
            try SubmissionService.validateIdempotencyKey(query, field: "idempotencyKey query parameter")
        }
        return query
    }
}
