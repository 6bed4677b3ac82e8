/// `POST /spark` → `{"submissionId":"<id>"}`.
public struct SubmitApplicationResponse: Codable, Hashable, Sendable {
    public var submissionId: String
    public init(submissionId: String) { self.submissionId = submissionId }
}
