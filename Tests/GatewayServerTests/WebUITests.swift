import Foundation
import GatewayCore
import Testing

@testable import Gateway

/// The web UI's routes in process (the browser test, WebUIBrowserTests, drives the page itself):
/// served at `/` and under the context path behind the API's authentication, with its listing.
@Suite struct WebUITests {
    @Test func pageScriptAndStylesAreServedBehindAuthentication() async throws {
        try await withGateway { gateway in
            for path in ["/", "/skatev2/ui", "/skatev2/ui/"] {
                let page = try await gateway.send("GET", path, fromRoot: true)
                #expect(page.status == 200, "\(path)")
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.text.contains(#"data-root="/skatev2""#))
                #expect(page.text.contains(#"<script src="/skatev2/ui/app.js" defer></script>"#))
                #expect(page.text.contains("COMPLETED FAILED FAILED_SUBMISSION FENCED SUBMISSION_FAILED"), "the terminal states")
                #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
                let anonymous = try await gateway.send("GET", path, user: nil, fromRoot: true)
                #expect(anonymous.status == 401)
                #expect(anonymous.header("WWW-Authenticate") == #"Basic realm="bpg""#)
            }
            let script = try await gateway.send("GET", "/ui/app.js")
            #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.text.contains("new EventSource("))
            let css = try await gateway.send("GET", "/ui/app.css")
            #expect(css.header("Content-Type") == "text/css; charset=utf-8")
            #expect(css.text.contains("@media (max-width"))
        }
    }

    @Test func offWhenDisabled() async throws {
        try await withGateway(configure: { $0.gateway.webUI.enabled = false }) { gateway in
            let page = try await gateway.send("GET", "/", fromRoot: true)
            #expect(page.status == 404)
            let script = try await gateway.send("GET", "/ui/app.js")
            #expect(script.status == 404)
        }
    }

    @Test func listingIsTheCallersFilteredAndPaged() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)), configure: { $0.gateway.auth.adminUsers = ["root"] }, monitor: MonitorTests.fast
        ) { gateway in
            var mine: [String] = []
            for _ in 0..<3 { mine.append(try await gateway.submit(user: "alice")) }
            let theirs = try await gateway.submit(user: "bob")
            for id in mine { try await gateway.waitForState(id, "COMPLETED", user: "alice") }

            let first = try await gateway.send("GET", "/ui/api/jobs?limit=2", user: "alice").json()
            let firstJobs = try #require(first["jobs"] as? [[String: Any]])
            #expect(firstJobs.count == 2)
            #expect(first["canListAll"] as? Bool == false)
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try await gateway.send(
                "GET", "/ui/api/jobs?limit=2&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", user: "alice"
            ).json()
            let secondJobs = try #require(second["jobs"] as? [[String: Any]])
            let listed = (firstJobs + secondJobs).compactMap { $0["submissionId"] as? String }
            #expect(Set(listed) == Set(mine), "newest first, each once, only alice's")
            #expect(firstJobs.first?["user"] as? String == "alice")
            #expect(firstJobs.first?["state"] as? String == "COMPLETED")

            let completed = try await gateway.send("GET", "/ui/api/jobs?state=COMPLETED", user: "alice").json()
            #expect((completed["jobs"] as? [[String: Any]])?.count == 3)
            let none = try await gateway.send("GET", "/ui/api/jobs?state=FAILED", user: "alice").json()
            #expect((none["jobs"] as? [[String: Any]])?.isEmpty == true)

            let forbidden = try await gateway.send("GET", "/ui/api/jobs?all=1", user: "alice")
            #expect(forbidden.status == 403)
            let everyone = try await gateway.send("GET", "/ui/api/jobs?all=1", user: "root").json()
            #expect(everyone["canListAll"] as? Bool == true)
            let ids = Set((everyone["jobs"] as? [[String: Any]] ?? []).compactMap { $0["submissionId"] as? String })
            #expect(ids == Set(mine + [theirs]))

            let badLimit = try await gateway.send("GET", "/ui/api/jobs?limit=0", user: "alice")
            #expect(badLimit.status == 400)
            #expect(badLimit.text.contains("limit"))
            let badCursor = try await gateway.send("GET", "/ui/api/jobs?cursor=nonsense", user: "alice")
            #expect(badCursor.status == 400)
            #expect(badCursor.text.contains("cursor"))
        }
    }
}
