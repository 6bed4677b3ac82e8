import Foundation
import JSON
import GatewayCore
import HTTPServing
import KubeClient
import Logging

/// BPG's REST API under `applicationContextPath` (default `/skatev2`), with BPG's JSON shapes.
struct GatewayRoutes: Sendable {
    let contextPath: String
    let authenticator: any RequestAuthenticating
    let submissions: SubmissionService
    let queries: ApplicationQueries
    let version: VersionInfo
    let logger: Logger
    /// `POST <root>/s3/{name}` (GatewayRoutes+ObjectStorage.swift); nil answers 501.
    var uploads: ArtifactUploads? = nil
    /// `GET <root>/spark/{id}/events` (GatewayRoutes+StatusStream.swift); nil answers 404 as before it existed.
    var statusStream: StatusStreamEndpoint? = nil
    /// Where an embedder mounted these routes (`GatewayService.register(into:prefix:)`): the web UI's
    /// page needs the full path of the API it calls.
    var mountPrefix = ""
    /// The S3 fallback of `/log` (`sparkLogS3Bucket`); nil: only live pods serve logs.
    var archivedLogs: ArchivedLogs? = nil
    /// BPG's limit on the listing endpoints, which read every cluster.
    let listingLimiter = RateLimiter(permitsPerSecond: 20)
    let adminListingLimiter = RateLimiter(permitsPerSecond: 20)

    static let noLogMessage =
        "Cannot find matched log files. Please try again in 5 minutes if this is a new job which was just started within 5 minutes."

    func register(into router: inout some RouteRegistrar) {
        let root = contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath

        router.add(.post, root + "/spark", authenticated(submit))
        router.add(.get, root + "/spark/mySubmissions", authenticated(mySubmissions))
        router.add(.delete, root + "/spark/{id}", authenticated(delete))
        router.add(.get, root + "/spark/{id}/status", authenticated(status))
        router.add(.get, root + "/spark/{id}/spec", authenticated(spec))
        router.add(.get, root + "/spark/{id}/driver", authenticated(driver))
        router.add(.get, root + "/spark/{id}/describe", authenticated(describe))
        if statusStream != nil { router.add(.get, root + "/spark/{id}/events", authenticated(events)) }
        router.add(.get, root + "/log", authenticated(log))
        // Streamed: an upload goes to S3 while it arrives, never whole in memory.
        router.add(
            .post, root + "/s3/{name}", streamingBodyUpTo: queries.configuration.gateway.objectStorage.maxUploadBytes,
            authenticated(uploadArtifact))
        router.add(.get, root + "/admin/submissions", authenticated(adminSubmissions))
        router.add(
            .get, root + "/admin/version",
            authenticated { [self] _, user in
                try requireAdmin(user)
                return try .json(version)
            })
        router.add(.get, root + "/admin/clusters", authenticated { _, user in try requireAdmin(user); return try clusterHealthResponse() })
        // Encoded once: health checks are the most frequent request a gateway gets.
        let health = Data((try? JSONValueEncoder().encode(HealthcheckResponse())) ?? Array(#"{"status":"OK"}"#.utf8))
        router.add(.get, root + "/healthcheck/status", authenticated { _, _ in .json(health) })
        if queries.configuration.gateway.livy.enabled { livyRoutes.register(into: &router) }
        if queries.configuration.gateway.webUI.enabled {
            WebUIRoutes(apiRoot: mountPrefix + root, store: submissions.store, adminRuleEnforced: authenticator.enforcesAdminUsers)
                .register(into: &router, root: root, authenticated: { authenticated($0) })
        }
    }

    /// Livy's batch API over the same pipeline and reads (docs/livy.md).
    private var livyRoutes: LivyRoutes {
        LivyRoutes(
            batches: LivyBatches(
                submissions: submissions, queries: queries, store: submissions.store,
                settings: queries.configuration.gateway.livy, logger: logger),
            contextPath: contextPath, authenticated: { authenticated($0) })
    }

    // MARK: Authentication

    /// Runs `handler` for an authenticated caller; everyone else gets BPG's 401 with a Basic challenge.
    /// Password checks suspend the request (they run on the password-hashing threads); an address
    /// with too many recent failures gets 429 and `Retry-After` without any hashing.
    func authenticated(
        _ handler: @escaping @Sendable (HTTPRequest, AuthenticatedUser) async throws -> HTTPResponse
    ) -> HTTPHandler {
        { [authenticator, logger] request in
            switch await authenticator.authenticate(request) {
            case .authenticated(let user):
                return try await handler(request, user)
            case .throttled(let seconds):
                logger.debug("authentication throttled", metadata: ["path": request.path, "peer": request.peerAddress])
                throw HTTPError(
                    429, "Too many failed authentication attempts. Retry after \(seconds) seconds.",
                    headers: ["Retry-After": "\(seconds)"])
            case .busy:
                logger.warning("password hashing queue full", metadata: ["path": request.path])
                throw HTTPError(503, "Authentication is busy. Please retry.", headers: ["Retry-After": "1"])
            case .rejected(let reason):
                logger.debug("unauthenticated request", metadata: ["path": request.path, "reason": "\(reason)"])
                throw HTTPError(401, "HTTP 401 Unauthorized.", headers: ["WWW-Authenticate": "Basic realm=\"bpg\""])
            }
        }
    }

    private func requireAdmin(_ user: AuthenticatedUser) throws {
        if authenticator.enforcesAdminUsers && !user.isAdmin {
            throw HTTPError(403, "User \(user.name) is not an admin")
        }
    }

    private static func submissionId(_ request: HTTPRequest) -> String {
        request.pathParameters["id"] ?? ""
    }

    // MARK: Handlers

    @Sendable private func submit(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let parsed = try RequestBodyParser.parse(body: request.body, contentType: request.headers["Content-Type"])
        let id = try await submissions.submit(
            .init(
                request: parsed, user: user, dagUser: request.queryValue("dagUser"),
                idempotencyKey: try Self.idempotencyKey(request)))
        return try .json(SubmitApplicationResponse(submissionId: id))
    }

    @Sendable private func delete(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let id = Self.submissionId(request)
        try await queries.delete(id, for: user)
        return try .json(DeleteSubmissionResponse(submissionId: id))
    }

    @Sendable private func status(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        try .json(await queries.status(of: Self.submissionId(request), for: user))
    }

    @Sendable private func spec(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        try .json(await queries.spec(of: Self.submissionId(request), for: user))
    }

    @Sendable private func driver(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        try .json(await queries.driver(of: Self.submissionId(request), for: user))
    }

    @Sendable private func describe(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let text = try await queries.describe(Self.submissionId(request), for: user)
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"], body: .bytes(Data(text.utf8)))
    }

    @Sendable private func mySubmissions(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        guard listingLimiter.tryAcquire() else {
            throw HTTPError(429, "Too many requests for mySubmissions endpoint (limit: 20 requests per second)")
        }
        return try .json(GetMySubmissionsResponse(submissions: try await queries.submissions(of: user.name)))
    }

    /// NDJSON, one `SubmissionSummary` a line, streamed cluster by cluster.
    @Sendable private func adminSubmissions(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        try requireAdmin(user)
        guard adminListingLimiter.tryAcquire() else {
            throw HTTPError(429, "Too many requests for submissions endpoint (limit: 20 requests per second)")
        }
        let name = request.queryValue("name").flatMap { $0.isEmpty ? nil : $0 }
        let queries = queries
        let logger = logger
        return HTTPResponse(
            status: 200, headers: ["Content-Type": "application/x-ndjson"],
            body: .stream { writer in
                let encoder = JSONValueEncoder()
                do {
                    try await queries.allSubmissions(applicationName: name) { summary in
                        var line = Data(try encoder.encode(summary))
                        line.append(0x0A)
                        try await writer.write(line)
                    }
                } catch {
                    // Headers are sent: the listing ends early; the log says why.
                    logger.error("admin listing ended early", metadata: ["error": "\(error)"])
                }
            })
    }

    /// The live driver or executor log, followed until the container ends; once the pod is gone (or
    /// with BPG's `s3only`), the archived copies from `sparkLogS3Bucket`.
    @Sendable private func log(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        // BPG: any value but "false" (in any case) skips the pod.
        let s3Only = request.queryValue("s3only").map { $0.lowercased() != "false" } ?? false
        let source = try await queries.logSource(
            submissionId: request.queryValue("subId") ?? "", appId: request.queryValue("appId") ?? "",
            executorId: request.queryValue("execId") ?? "", s3Only: s3Only, user: user)
        let noLog = HTTPResponse(
            status: 200, headers: ["Content-Type": "application/octet-stream"], body: .bytes(Data(Self.noLogMessage.utf8)))
        let logger = logger
        switch source {
        case .pod(let target):
            let stream: AsyncThrowingStream<Data, any Error>
            do {
                stream = try await target.cluster.client.followLog(ofPod: target.podName, namespace: target.cluster.namespace)
            } catch {
                return try await archivedLog(target.submissionId, containerId: LogArchiveLayout.container(
                    submissionId: target.submissionId, executorId: request.queryValue("execId") ?? "")) ?? noLog
            }
            return HTTPResponse(
                status: 200, headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    do {
                        for try await chunk in stream { try await writer.write(chunk) }
                        try await writer.write(Data("\n".utf8))
                    } catch {
                        logger.debug("log stream ended", metadata: ["submission_id": target.submissionId, "error": "\(error)"])
                    }
                })
        case .archive(let submissionId, let containerId):
            return try await archivedLog(submissionId, containerId: containerId) ?? noLog
        }
    }

    /// The archived copies of a container's log, or nil when there are none (or no log bucket).
    private func archivedLog(_ submissionId: String, containerId: String) async throws -> HTTPResponse? {
        guard let archivedLogs else { return nil }
        let keys: [String]
        do {
            keys = try await archivedLogs.keys(containerId: containerId)
        } catch {
            // BPG reads the index softly: a store failure is "nothing found", with the cause logged.
            logger.warning("log index read failed", metadata: ["container": containerId, "error": "\(error)"])
            return nil
        }
        guard !keys.isEmpty else { return nil }
        let logger = logger
        return HTTPResponse(
            status: 200, headers: ["Content-Type": "application/octet-stream"],
            body: .stream { writer in
                do {
                    try await archivedLogs.write(keys: keys, to: writer)
                } catch {
                    logger.debug("archived log stream ended", metadata: ["submission_id": submissionId, "error": "\(error)"])
                }
            })
    }
}
