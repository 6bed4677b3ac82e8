import Foundation
import Testing

@testable import HTTPServing

/// The router and responder, called in-process (no socket).
struct RoutingTests {
    static let responder: HTTPResponder = {
        var router = HTTPRouterBuilder()
        router.add(.get, "/spark/{id}/status") { .text("status of \($0.pathParameters["id"] ?? "?")") }
        router.add(.get, "/spark/{id}") { .text("get \($0.pathParameters["id"] ?? "?")") }
        router.add(.delete, "/spark/{id}") { .text("delete \($0.pathParameters["id"] ?? "?")") }
        router.add(.get, "/spark/summary") { _ in .text("summary") }
        router.add(.get, "/logs/{path...}") { .text("logs [\($0.pathParameters["path"] ?? "?")]") }
        router.add(.post, "/echo") { request in
            HTTPResponse(status: 201, headers: ["X-Query": request.queryValue("q") ?? ""], body: .bytes(request.body))
        }
        router.add(.get, "/fail") { _ in throw HTTPError(409, "already \"done\"") }
        router.add(.get, "/crash") { _ in throw CancellationError() }
        return router.build()
    }()

    @Test(arguments: [
        ("/spark/a1", 200, "get a1"),
        ("/spark/a1/status", 200, "status of a1"),
        ("/spark/summary", 200, "summary"),
        ("/spark/summary/", 200, "summary"),
        ("/logs/driver/stdout.log", 200, "logs [driver/stdout.log]"),
        ("/logs/", 200, "logs []"),
        ("/nothing", 404, #"{"code":404,"message":"no route for GET \/nothing"}"#),
        ("/spark/a1/status/extra", 404, ""),
    ])
    func routesGetRequests(path: String, status: Int, body: String) async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .get, path: path))
        #expect(response.status == status)
        if !body.isEmpty, status == 200 {
            #expect(String(decoding: try await response.collectBody(), as: UTF8.self) == body)
        }
    }

    @Test func literalBeatsParameterOnlyForItsMethod() async throws {
        let deleted = await Self.responder.respond(to: HTTPRequest(method: .delete, path: "/spark/summary"))
        #expect(deleted.status == 200)
        #expect(String(decoding: try await deleted.collectBody(), as: UTF8.self) == "delete summary")
    }

    @Test func notFoundHasJSONErrorBody() async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .get, path: "/nothing"))
        #expect(response.status == 404)
        #expect(response.headers["content-type"] == "application/json")
        let body = try JSONSerialization.jsonObject(with: try await response.collectBody()) as? [String: Any]
        #expect(body?["code"] as? Int == 404)
    }

    @Test func wrongMethodGets405WithAllow() async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .put, path: "/spark/a1"))
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, DELETE, HEAD")
    }

    @Test func headRunsGetWithoutBody() async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .head, path: "/spark/a1"))
        #expect(response.status == 200)
        #expect(response.headers["Content-Length"] == "6")
        #expect(try await response.collectBody().isEmpty)
    }

    @Test func thrownHTTPErrorBecomesItsResponse() async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .get, path: "/fail"))
        #expect(response.status == 409)
        #expect(String(decoding: try await response.collectBody(), as: UTF8.self) == #"{"code":409,"message":"already \"done\""}"#)
    }

    @Test func otherErrorsBecomeBare500() async throws {
        let response = await Self.responder.respond(to: HTTPRequest(method: .get, path: "/crash"))
        #expect(response.status == 500)
        #expect(
            String(decoding: try await response.collectBody(), as: UTF8.self)
                == #"{"code":500,"message":"internal server error"}"#)
    }

    @Test func requestTargetIsDecoded() throws {
        let request = try #require(HTTPRequest(method: .post, target: "/a%20b/c?q=x+y&q=%2B&flag&e=%C3%A9"))
        #expect(request.path == "/a b/c")
        #expect(request.queryValues("q") == ["x y", "+"])
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("e") == "é")
        #expect(HTTPRequest(method: .get, target: "/bad%zz") == nil)
    }

    @Test func headersAreCaseInsensitiveAndMultiValued() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["CONTENT-TYPE"] == "text/plain")
        #expect(headers.values("Set-Cookie") == ["a=1", "b=2"])
        headers["SET-COOKIE"] = "c=3"
        #expect(headers.values("set-cookie") == ["c=3"])
        headers.remove("content-type")
        #expect(headers["Content-Type"] == nil)
        #expect(headers.count == 1)
    }
}
