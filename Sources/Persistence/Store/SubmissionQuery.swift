import Foundation

/// A filtered listing of submissions, newest first, read page by page with keyset pagination.
///
/// Pages are ordered by `(createdTime, submissionId)` descending and continue strictly after the
/// last row of the previous page, so rows inserted meanwhile (which are newer) never shift a page.
///
/// ```swift
/// var query = SubmissionQuery(user: "alice", limit: 50)
/// let page = try await store.listSubmissions(query)
/// query.cursor = page.nextCursor
/// ```
public struct SubmissionQuery: Sendable, Equatable {
    public var user: String?
    public var appName: String?
    public var status: String?
    /// Inclusive lower bound on `createdTime`.
    public var createdFrom: Date?
    /// Exclusive upper bound on `createdTime`.
    public var createdBefore: Date?
    /// Rows per page, 1...10 000.
    public var limit: Int
    /// Where the previous page ended (`SubmissionPage.nextCursor`); nil for the first page.
    public var cursor: String?

    public init(
        user: String? = nil, appName: String? = nil, status: String? = nil, createdFrom: Date? = nil,
        createdBefore: Date? = nil, limit: Int = 100, cursor: String? = nil
    ) {
        self.user = user
        self.appName = appName
        self.status = status
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.limit = limit
        self.cursor = cursor
    }

    static let maximumLimit = 10_000

    func validated(operation: String) throws -> (limit: Int, cursor: SubmissionCursor?) {
        guard limit >= 1, limit <= Self.maximumLimit else {
            throw StoreError(.invalidArgument, operation: operation, message: "limit must be 1...10000, got \(limit)")
        }
        guard let cursor else { return (limit, nil) }
        guard let decoded = SubmissionCursor(encoded: cursor) else {
            throw StoreError(.invalidArgument, operation: operation, message: "cursor is not one this store issued")
        }
        return (limit, decoded)
    }

    /// Whether a record passes the filters (the in-memory store's `WHERE`).
    func admits(_ record: SubmissionRecord) -> Bool {
        if let user, record.user != user { return false }
        if let appName, record.appName != appName { return false }
        if let status, record.status != status { return false }
        let created = record.createdTime ?? Date(timeIntervalSince1970: 0)
        if let createdFrom, created < StoreTime.truncated(createdFrom) { return false }
        if let createdBefore, created >= StoreTime.truncated(createdBefore) { return false }
        return true
    }
}

/// One page of a listing.
public struct SubmissionPage: Sendable, Equatable {
    public var records: [SubmissionRecord]
    /// Pass as `SubmissionQuery.cursor` for the next page; nil when this page is the last.
    public var nextCursor: String?

    public init(records: [SubmissionRecord], nextCursor: String?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}

/// The position after a row: its creation second and submission id, encoded opaquely.
struct SubmissionCursor: Sendable, Equatable {
    var createdSeconds: Int64
    var submissionId: String

    init(createdSeconds: Int64, submissionId: String) {
        self.createdSeconds = createdSeconds
        self.submissionId = submissionId
    }

    init(after record: SubmissionRecord) {
        self.createdSeconds = Int64((record.createdTime ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970)
        self.submissionId = record.submissionId
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let separator = text.firstIndex(of: ":"), text.hasPrefix("v1/")
        else { return nil }
        let secondsText = text[text.index(text.startIndex, offsetBy: 3)..<separator]
        guard let seconds = Int64(secondsText) else { return nil }
        self.createdSeconds = seconds
        self.submissionId = String(text[text.index(after: separator)...])
    }

    var encoded: String {
        Data("v1/\(createdSeconds):\(submissionId)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    var createdTime: Date { Date(timeIntervalSince1970: Double(createdSeconds)) }

    /// Whether `record` sorts strictly after this position (older, or same second with a smaller id).
    func precedes(_ record: SubmissionRecord) -> Bool {
        let created = Int64((record.createdTime ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970)
        return created < createdSeconds || (created == createdSeconds && record.submissionId < submissionId)
    }
}
