import Foundation
import Logging

/// The immutable, concurrent-safe form of a router: routes a request, runs its handler and maps
/// thrown errors to responses. The server calls it for every request; tests may call it directly.
public struct HTTPResponder: Sendable {
    private let routes: [HTTPRouterBuilder.Route]
    private let notFound: HTTPHandler
    private let methodNotAllowed: (@Sendable (HTTPRequest, [HTTPMethod]) async throws -> HTTPResponse)?

    init(
        routes: [HTTPRouterBuilder.Route],
        notFound: @escaping HTTPHandler,
        methodNotAllowed: (@Sendable (HTTPRequest, [HTTPMethod]) async throws -> HTTPResponse)?
    ) {
        self.routes = routes
        self.notFound = notFound
        self.methodNotAllowed = methodNotAllowed
    }

    /// In-process entry point (no socket): routes `request`, runs the handler and maps errors.
    ///
    /// For `HEAD` the body is dropped as the server would, and `Content-Length` tells the size of
    /// a byte body. A handler error that is not an `HTTPResponseError` becomes
    /// `500 {"code":500,"message":"internal server error"}`.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var response = await respond(to: request, logger: .disabled)
        if request.method == .head {
            if case .bytes(let data) = response.body {
                response.headers["Content-Length"] = String(data.count)
            }
            response.body = .bytes(Data())
        }
        return response
    }

    /// The server's entry point: like `respond(to:)` but the body is kept (libmicrohttpd drops it
    /// for `HEAD` itself and computes `Content-Length`), and handler failures are logged.
    func respond(to request: HTTPRequest, logger: Logger) async -> HTTPResponse {
        var request = request
        do {
            switch resolve(request.method, request.path) {
            case .found(let handler, let parameters, let streamLimit):
                request.pathParameters = parameters
                if let streamLimit, request.bodyStream == nil {
                    // In-process: the route still reads a stream, with its own limit.
                    request.bodyStream = HTTPRequestBody(request.body, limit: streamLimit)
                    request.body = Data()
                }
                return try await handler(request)
            case .methodNotAllowed(let allowed):
                if let methodNotAllowed {
                    return try await methodNotAllowed(request, allowed)
                }
                let allow = allowed.map(\.rawValue).joined(separator: ", ")
                throw HTTPError(405, "method \(request.method) not allowed on \(request.path)", headers: ["Allow": allow])
            case .notFound:
                return try await notFound(request)
            }
        } catch let error as any HTTPResponseError {
            return error.response()
        } catch {
            logger.debug(
                "handler failed", metadata: ["method": request.method.rawValue, "path": request.path, "error": "\(error)"])
            return HTTPError(500, "internal server error").response()
        }
    }

    /// The body limit of the route `method` and `path` resolve to when that route streams its body;
    /// nil for a buffered body (the server then applies its own `maxBodyBytes`).
    func streamLimit(_ method: HTTPMethod, _ path: String) -> Int? {
        if case .found(_, _, let limit) = resolve(method, path) { return limit }
        return nil
    }

    enum Resolution {
        case found(HTTPHandler, [String: String], streamLimit: Int?)
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    /// Finds the most specific route for `method` among those matching `path`; `HEAD` falls back
    /// to `GET`.
    func resolve(_ method: HTTPMethod, _ path: String) -> Resolution {
        var best: (route: HTTPRouterBuilder.Route, parameters: [String: String])?
        var bestGet: (route: HTTPRouterBuilder.Route, parameters: [String: String])?
        var allowed: [HTTPMethod] = []
        let parts = RoutePattern.split(path)
        for route in routes {
            guard let parameters = route.pattern.match(parts, in: path) else { continue }
            if !allowed.contains(route.method) {
                allowed.append(route.method)
            }
            if route.method == method, best.map({ route.pattern.isMoreSpecific(than: $0.route.pattern) }) ?? true {
                best = (route, parameters)
            }
            if method == .head, route.method == .get,
                bestGet.map({ route.pattern.isMoreSpecific(than: $0.route.pattern) }) ?? true
            {
                bestGet = (route, parameters)
            }
        }
        if let match = best ?? bestGet {
            return .found(match.route.handler, match.parameters, streamLimit: match.route.streamLimit)
        }
        if allowed.isEmpty {
            return .notFound
        }
        if allowed.contains(.get), !allowed.contains(.head) {
            allowed.append(.head)
        }
        return .methodNotAllowed(allowed)
    }
}
