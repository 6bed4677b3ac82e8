/// `GET /spark/mySubmissions` → `{"submissions":[…]}`.
public struct GetMySubmissionsResponse: Codable, Hashable, Sendable {
    public var submissions: [SubmissionSummary]
    public init(submissions: [SubmissionSummary]) { self.submissions = submissions }
}
