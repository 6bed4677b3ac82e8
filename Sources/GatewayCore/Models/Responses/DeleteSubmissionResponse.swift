/// `DELETE /spark/{id}` → `{"submissionId":"<id>"}`, whether or not the object existed.
public struct DeleteSubmissionResponse: Codable, Hashable, Sendable {
    public var submissionId: String
    public init(submissionId: String) { self.submissionId = submissionId }
}
