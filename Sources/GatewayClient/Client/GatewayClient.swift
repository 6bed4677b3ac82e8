import Foundation
import GatewayCore
import HTTPClient
import JSON

/// A typed client for the gateway's REST API (`<root>/spark`, `/log`, `/admin/…`), as the `bpg`
/// client commands use it. Every call throws ``GatewayClientError``, whose description is the
/// server's own message when it sent one.
///
/// ```swift
/// let client = GatewayClient(endpoint: try GatewayEndpoint(url: "http://127.0.0.1:8080", user: "alice"))
/// let id = try await client.submit(Data(request.utf8), contentType: "application/json")
/// let status = try await client.status(id)          // GetSubmissionStatusResponse
/// for try await change in client.watch(id) { print(change.state) }
/// ```
public final class GatewayClient: Sendable {
    public let endpoint: GatewayEndpoint
    let transport: CurlTransport
    /// How long a single non-streamed call may take.
    let callTimeout: Duration

    public init(endpoint: GatewayEndpoint, connectTimeout: Duration = .seconds(10), callTimeout: Duration = .seconds(60)) {
        self.endpoint = endpoint
        self.callTimeout = callTimeout
        transport = CurlTransport(settings: .init(connectTimeout: connectTimeout, idleTimeout: .seconds(60), caFile: endpoint.caFile))
    }

    // MARK: Submissions

    /// `POST <root>/spark`: submits a request (JSON or YAML, as the server reads both) and returns its
    /// submission id.
    public func submit(_ body: Data, contentType: String) async throws(GatewayClientError) -> String {
        let answer = try await call("POST", "/spark", body: body, headers: [("Content-Type", contentType)])
        guard let id = try Self.json(answer)["submissionId"]?.stringValue else {
            throw .unexpected("no submissionId in the answer to POST \(endpoint.root)/spark")
        }
        return id
    }

    /// `GET <root>/spark/{id}/status`, as JSON.
    public func statusDocument(_ id: String) async throws(GatewayClientError) -> JSONValue {
        try Self.json(try await call("GET", "/spark/\(Self.segment(id))/status"))
    }

    /// `GET <root>/spark/{id}/status`.
    public func status(_ id: String) async throws(GatewayClientError) -> GetSubmissionStatusResponse {
        try Self.decode(GetSubmissionStatusResponse.self, try await statusDocument(id))
    }

    /// `GET <root>/spark/{id}/driver`: `{"podName", "startTime"}`, `{}` while unknown.
    public func driver(_ id: String) async throws(GatewayClientError) -> JSONValue {
        try Self.json(try await call("GET", "/spark/\(Self.segment(id))/driver"))
    }

    /// `GET <root>/spark/{id}/spec`: the SparkApplication's spec.
    public func spec(_ id: String) async throws(GatewayClientError) -> JSONValue {
        try Self.json(try await call("GET", "/spark/\(Self.segment(id))/spec"))
    }

    /// `GET <root>/spark/{id}/describe`: the spec as YAML and the events, as text.
    public func describe(_ id: String) async throws(GatewayClientError) -> String {
        String(decoding: try await call("GET", "/spark/\(Self.segment(id))/describe").body, as: UTF8.self)
    }

    /// `DELETE <root>/spark/{id}`.
    public func delete(_ id: String) async throws(GatewayClientError) {
        _ = try await call("DELETE", "/spark/\(Self.segment(id))")
    }

    /// `GET <root>/spark/mySubmissions`: the caller's submissions.
    public func mySubmissions() async throws(GatewayClientError) -> [JSONValue] {
        let document = try Self.json(try await call("GET", "/spark/mySubmissions"))
        guard let list = document["submissions"]?.arrayValue else {
            throw .unexpected("no submissions array in the answer to GET \(endpoint.root)/spark/mySubmissions")
        }
        return list
    }

    /// `GET <root>/admin/submissions`: everyone's submissions (admins), read from its NDJSON lines.
    public func allSubmissions() async throws(GatewayClientError) -> [JSONValue] {
        let answer = try await call("GET", "/admin/submissions", maxBodyBytes: 256 << 20)
        var list: [JSONValue] = []
        for line in answer.body.split(separator: UInt8(ascii: "\n")) where !line.allSatisfy({ $0 == 32 || $0 == 13 }) {
            do {
                list.append(try JSONValue(parsing: line))
            } catch {
                throw .unexpected("a line of GET \(endpoint.root)/admin/submissions is not JSON: \(error)")
            }
        }
        return list
    }

    /// `GET <root>/admin/clusters`: each cluster's health, breaker and backlog (admins).
    public func clusters() async throws(GatewayClientError) -> JSONValue {
        try Self.json(try await call("GET", "/admin/clusters"))
    }

    /// `GET <root>/log?subId=…`: the driver log, streamed. With `follow`, the server keeps the answer
    /// open while the driver runs, so no idle timeout applies.
    public func log(_ id: String, follow: Bool) async throws(GatewayClientError) -> HTTPStreamedResponse {
        let url = endpoint.base + "/log?subId=" + Self.query(id)
        let answer: HTTPStreamedResponse
        do {
            answer = try await transport.stream(
                HTTPExchangeRequest(method: "GET", url: url, headers: headers(), totalTimeout: follow ? nil : callTimeout,
                                    disableIdleTimeout: follow))
        } catch {
            throw .unreachable("\(error)")
        }
        guard (200..<300).contains(answer.status) else { throw Self.failure(status: answer.status, body: answer.errorBody) }
        return answer
    }

    // MARK: Plumbing

    func headers(_ extra: [(String, String)] = []) -> [(String, String)] {
        var headers = [("Accept", "application/json")] + extra
        if let authorization = endpoint.authorizationHeader { headers.append(authorization) }
        return headers
    }

    /// One bounded exchange; a non-2xx answer becomes the error it carries.
    func call(
        _ method: String, _ path: String, body: Data? = nil, headers extra: [(String, String)] = [], maxBodyBytes: Int = 64 << 20
    ) async throws(GatewayClientError) -> HTTPExchangeResponse {
        let request = HTTPExchangeRequest(
            method: method, url: endpoint.base + path, headers: headers(extra), body: body, totalTimeout: callTimeout)
        let answer: HTTPExchangeResponse
        do {
            answer = try await transport.perform(request, maxBodyBytes: maxBodyBytes)
        } catch {
            if error.isTooLarge { throw .unexpected("the answer to \(method) \(endpoint.root)\(path) is \(error)") }
            throw .unreachable("\(error)")
        }
        guard (200..<300).contains(answer.status) else { throw Self.failure(status: answer.status, body: answer.body) }
        return answer
    }

    /// The error for a non-2xx answer: the gateway's `{"code", "message"}` body, else the first line
    /// of whatever came back (a proxy's page), bounded.
    static func failure(status: Int, body: Data) -> GatewayClientError {
        if let document = try? JSONValue(parsing: body), let message = document["message"]?.stringValue {
            return .init(.http(status: status, message: oneLine(message)))
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self)
        let looksLikeHTML = text.lowercased().contains("<html")
        return .init(.http(status: status, message: looksLikeHTML ? "" : oneLine(text)))
    }

    /// The first non-empty line, at most 300 characters, without control characters.
    static func oneLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        let clean = String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        return clean.count > 300 ? String(clean.prefix(300)) + "…" : clean
    }

    static func json(_ answer: HTTPExchangeResponse) throws(GatewayClientError) -> JSONValue {
        do {
            return try JSONValue(parsing: answer.body)
        } catch {
            throw .unexpected("the answer is not JSON (\(error))")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws(GatewayClientError) -> T {
        do {
            return try JSONValueDecoder().decode(type, from: value)
        } catch {
            throw .unexpected("cannot read \(T.self): \(error)")
        }
    }

    /// A submission id as one path segment (ids are `[a-z0-9-]`, but a typo must not change the route).
    static func segment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
    }

    static func query(_ value: String) -> String { segment(value) }
}
