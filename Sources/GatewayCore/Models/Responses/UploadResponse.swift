/// `POST /s3/{name}` → `{"url":"s3a://<bucket>/<key>"}`.
public struct UploadResponse: Codable, Hashable, Sendable {
    public var url: String
    public init(url: String) { self.url = url }
}
