/// `GET /healthcheck/status` → `{"status":"OK"}`.
public struct HealthcheckResponse: Codable, Hashable, Sendable {
    public var status: String
    public init(status: String = "OK") { self.status = status }
}
