/// `GET /spark/{id}/driver` → `{"podName": ..., "startTime": <epoch ms>}`, or `{}` when unknown.
public struct GetDriverInfoResponse: Codable, Hashable, Sendable {
    public var podName: String?
    public var startTime: Int64?
    public init(podName: String? = nil, startTime: Int64? = nil) {
        self.podName = podName
        self.startTime = startTime
    }
}
