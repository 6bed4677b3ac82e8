import Foundation
import GatewayCore
import HTTPServing
import Persistence

/// Livy's batch API: `POST/GET <root>`, `GET/DELETE <root>/{id}`, `GET <root>/{id}/state` and
/// `GET <root>/{id}/log`, mounted at `gateway.livy.root` (default `/batches`) and again under the
/// context path. Authentication is the gateway's; errors answer in Livy's shape (``LivyErrorMapping``).
struct LivyRoutes: Sendable {
    let batches: LivyBatches
    let contextPath: String
    let authenticated: @Sendable (@escaping @Sendable (HTTPRequest, AuthenticatedUser) async throws -> HTTPResponse) -> HTTPHandler

    /// The roots the API is mounted at: `root`, and `root` under the context path.
    static func roots(root: String, contextPath: String) -> [String] {
        let trim = { (path: String) in path.hasSuffix("/") ? String(path.dropLast()) : path }
        let root = trim(root)
        let context = trim(contextPath)
        return context.isEmpty || context + root == root ? [root] : [root, context + root]
    }

    func register(into router: inout some RouteRegistrar) {
        for root in Self.roots(root: batches.settings.root, contextPath: contextPath) {
            router.add(.post, root, handler(submit))
            router.add(.get, root, handler(list))
            router.add(.get, root + "/{id}", handler(get))
            router.add(.delete, root + "/{id}", handler(delete))
            router.add(.get, root + "/{id}/state", handler(state))
            router.add(.get, root + "/{id}/log", handler(log))
        }
    }

    private func handler(
        _ body: @escaping @Sendable (HTTPRequest, AuthenticatedUser) async throws -> HTTPResponse
    ) -> HTTPHandler {
        LivyErrorMapping.livyErrors(authenticated(body))
    }

    // MARK: Handlers

    @Sendable private func submit(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        if let offset = RequestBodyParser.firstInvalidUTF8Offset(request.body) {
            throw GatewayError.badRequest("Invalid request body: not valid UTF-8 (at byte \(offset))")
        }
        let batch = try LivyBatchRequest.decode(json: request.body)
        let (batchId, submissionId) = try await batches.submit(
            batch, user: user, idempotencyKey: try GatewayRoutes.idempotencyKey(request))
        let links = Self.links(request, contextPath: contextPath)
        var view: LivyBatchView
        do {
            view = try await batches.view(LivyBatch(batchId: batchId, submissionId: submissionId), user: user, links: links)
        } catch {
            // The batch exists; a failed first status read must not turn its creation into an error.
            view = LivyBatchView(
                id: batchId, name: batch.name, owner: user.name, proxyUser: batch.proxyUser ?? user.name,
                state: LivyBatchState.starting, appId: nil,
                appInfo: ["driverLogUrl": nil, "sparkUiUrl": nil, "submissionId": submissionId], log: [])
        }
        var response = try HTTPResponse.json(view, status: 201)
        response.headers.add("Location", Self.root(of: request) + "/\(batchId)")
        return response
    }

    @Sendable private func list(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let from = try Self.nonNegative(request, "from") ?? 0
        let size = try Self.nonNegative(request, "size") ?? 100
        return try .json(await batches.list(user: user, from: from, size: size, links: Self.links(request, contextPath: contextPath)))
    }

    @Sendable private func get(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let batch = try await batches.batch(try Self.batchId(request))
        return try .json(await batches.view(batch, user: user, links: Self.links(request, contextPath: contextPath)))
    }

    @Sendable private func state(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let batch = try await batches.batch(try Self.batchId(request))
        let record = try? await batches.store.submission(id: batch.submissionId)
        let (state, _) = try await batches.state(batch, record: record, user: user)
        return try .json(LivyBatchStateView(id: batch.batchId, state: state))
    }

    @Sendable private func log(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let from = try Self.nonNegative(request, "from")
        let size = try Self.nonNegative(request, "size")
        let batch = try await batches.batch(try Self.batchId(request))
        return try .json(await batches.log(batch, user: user, from: from, size: size))
    }

    @Sendable private func delete(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let batch = try await batches.batch(try Self.batchId(request))
        try await batches.delete(batch, user: user)
        return try .json(LivyMessage(msg: "deleted"))
    }

    // MARK: Parameters

    static func batchId(_ request: HTTPRequest) throws -> Int64 {
        let text = request.pathParameters["id"] ?? ""
        guard let id = Int64(text), id >= 0 else {
            throw GatewayError.badRequest("batchId: \"\(text)\" is not a batch id (a non-negative integer)")
        }
        return id
    }

    static func nonNegative(_ request: HTTPRequest, _ name: String) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw GatewayError.badRequest("\(name): \"\(text)\" must be a non-negative integer")
        }
        return value
    }

    /// The root the request came in under (for `Location`), without the batch id.
    static func root(of request: HTTPRequest) -> String {
        let path = request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        return path
    }

    /// The client's view of the gateway's address: `X-Forwarded-Proto`/`X-Forwarded-Host` when a proxy
    /// set them, else `http` and `Host`.
    static func links(_ request: HTTPRequest, contextPath: String) -> LivyLinks {
        let scheme = request.headers["X-Forwarded-Proto"].flatMap { ["http", "https"].contains($0.lowercased()) ? $0.lowercased() : nil } ?? "http"
        let host = request.headers["X-Forwarded-Host"] ?? request.headers["Host"] ?? "localhost"
        return LivyLinks(origin: "\(scheme)://\(host)", contextPath: contextPath)
    }
}
