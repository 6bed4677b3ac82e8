import Foundation
import JSON
import Synchronization

/// A request as the simulated API server sees it, independent of the HTTP transport (the cluster
/// adapts `HTTPServing` requests to it; tests can build it directly).
struct APIRequest: Sendable {
    var method: String
    var path: String
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    var body: Data

    init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        body: Data = Data()
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// `true`/`1` as Kubernetes parses boolean query parameters.
    func flag(_ name: String) -> Bool {
        guard let value = queryValue(name)?.lowercased() else { return false }
        return value == "true" || value == "1"
    }
}

/// A response: a status, headers, and a body that is either whole or streamed (watches, log follows).
struct APIResponse: Sendable {
    /// Writes one chunk to the client; throws once the client has gone.
    typealias ChunkWriter = @Sendable (Data) async throws -> Void

    enum Body: Sendable {
        case data(Data)
        case stream(@Sendable (_ write: ChunkWriter) async throws -> Void)
    }

    var status: Int
    var headers: [(name: String, value: String)]
    var body: Body

    init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Body = .data(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ value: JSONValue, status: Int = 200) -> APIResponse {
        APIResponse(status: status, headers: [("Content-Type", "application/json")], body: .data(value.serialized()))
    }

    /// A server-side-printed `Table`, labelled with the media type the real server uses for it.
    static func table(_ value: JSONValue) -> APIResponse {
        APIResponse(status: 200, headers: [("Content-Type", "application/json;as=Table;v=v1;g=meta.k8s.io")], body: .data(value.serialized()))
    }

    static func status(_ status: KubeStatus) -> APIResponse {
        var response = APIResponse.json(status.object, status: status.code)
        if let seconds = status.retryAfterSeconds {
            response.headers.append(("Retry-After", String(seconds)))
        }
        return response
    }

    /// The whole body (a streamed body is collected until it ends); for tests.
    func collectBody() async throws -> Data {
        switch body {
        case .data(let data):
            return data
        case .stream(let produce):
            let collected = ChunkCollector()
            try await produce { chunk in collected.append(chunk) }
            return collected.data
        }
    }
}

/// Accumulates streamed chunks (tests and `collectBody`).
final class ChunkCollector: Sendable {
    private let storage = Mutex(Data())
    func append(_ chunk: Data) { storage.withLock { $0.append(chunk) } }
    var data: Data { storage.withLock { $0 } }
}
