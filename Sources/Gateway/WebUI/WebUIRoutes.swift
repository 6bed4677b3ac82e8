import Foundation
import GatewayCore
import HTTPServing
import JSON
import Persistence

/// The web UI (docs/web-ui.md): one page at `/` and at `<root>/ui/`, its script and style sheet,
/// and one listing the page needs that BPG's API lacks (`<root>/ui/api/jobs`: the records, filtered
/// by state and paged, from the store). Everything else the page shows comes from the API itself,
/// so it validates, authorises and fails exactly as the API does.
///
/// Every route is behind the API's authentication: a browser gets the same Basic challenge, or
/// comes through the proxy that sets the user header.
struct WebUIRoutes: Sendable {
    /// The API's root as the browser reaches it: an embedder's mount prefix plus `applicationContextPath`.
    let apiRoot: String
    let store: any SubmissionStore
    /// Whether every caller may list everyone's jobs (BPG's admin endpoints are open to all when
    /// `gateway.auth.adminUsers` is not set).
    let adminRuleEnforced: Bool

    /// The page, built once.
    var page: Data {
        Data(WebUIPage.html(apiRoot: apiRoot, terminalStates: Array(SubmissionState.terminal)).utf8)
    }

    /// Headers that keep the page to its own origin: no inline script, no framing.
    static let pageHeaders: HTTPHeaders = [
        "Content-Security-Policy":
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        // A new gateway version serves a new script: never keep an old one.
        "Cache-Control": "no-cache",
    ]

    func register(
        into router: inout some RouteRegistrar, root: String,
        authenticated: (@escaping @Sendable (HTTPRequest, AuthenticatedUser) async throws -> HTTPResponse) -> HTTPHandler
    ) {
        let html = page
        let script = Data(WebUIScript.source.utf8)
        let css = Data(WebUIPage.css.utf8)
        let servePage = authenticated { _, _ in Self.asset(html, type: "text/html; charset=utf-8") }
        router.add(.get, "/", servePage)
        router.add(.get, root + "/ui", servePage)
        router.add(.get, root + "/ui/app.js", authenticated { _, _ in Self.asset(script, type: "text/javascript; charset=utf-8") })
        router.add(.get, root + "/ui/app.css", authenticated { _, _ in Self.asset(css, type: "text/css; charset=utf-8") })
        router.add(.get, root + "/ui/api/jobs", authenticated { [self] request, user in try await jobs(request, user) })
    }

    static func asset(_ data: Data, type: String) -> HTTPResponse {
        var headers = pageHeaders
        headers["Content-Type"] = type
        return HTTPResponse(status: 200, headers: headers, body: .bytes(data))
    }

    /// One page of the caller's records (everyone's with `all=1` for an admin), newest first.
    func jobs(_ request: HTTPRequest, _ user: AuthenticatedUser) async throws -> HTTPResponse {
        let canListAll = !adminRuleEnforced || user.isAdmin
        var limit = 25
        if let text = request.queryValue("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw GatewayError(.badRequest, "limit must be a whole number from 1 to 200 (got '\(text.prefix(40))')")
            }
            limit = value
        }
        let all = request.queryValue("all").map { $0 == "1" || $0 == "true" } ?? false
        if all && !canListAll { throw GatewayError(.forbidden, "User \(user.name) is not an admin") }
        let state = request.queryValue("state").flatMap { $0.isEmpty ? nil : $0 }
        let cursor = request.queryValue("cursor").flatMap { $0.isEmpty ? nil : $0 }
        let page: SubmissionPage
        do {
            page = try await store.listSubmissions(
                SubmissionQuery(user: all ? nil : user.name, status: state, limit: limit, cursor: cursor))
        } catch let error as StoreError where error.kind == .invalidArgument {
            throw GatewayError(.badRequest, "cursor is not one this listing issued")
        }
        let listing = JobListing(
            jobs: page.records.map { record in
                JobListing.Job(
                    submissionId: record.submissionId, applicationName: record.appName, state: record.status ?? "UNKNOWN",
                    user: record.user, queue: record.resolvedQueue ?? record.queue, cluster: record.clusterId,
                    createdAt: record.createdTime.map(Timestamp.epochMillis), finishedAt: record.finishedTime.map(Timestamp.epochMillis))
            }, nextCursor: page.nextCursor, canListAll: canListAll)
        return try .json(listing)
    }

    /// The body of `<root>/ui/api/jobs`.
    struct JobListing: Codable, Sendable {
        struct Job: Codable, Sendable {
            var submissionId: String
            var applicationName: String?
            var state: String
            var user: String?
            var queue: String?
            var cluster: String?
            var createdAt: Int64?
            var finishedAt: Int64?
        }

        var jobs: [Job]
        var nextCursor: String?
        var canListAll: Bool
    }
}
