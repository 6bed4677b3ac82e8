/// BPG's error body, `{"code": <int>, "message": "..."}`.
public struct ErrorResponse: Codable, Hashable, Sendable {
    public var code: Int
    public var message: String
    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
    /// The body for a ``SubmissionError``.
    public init(_ error: SubmissionError) { self.init(code: error.status, message: error.message) }
}
