import Foundation

/// One row of BPG's `logindex` table, filled by an external indexer of S3 log objects.
public struct LogIndexEntry: Sendable, Equatable {
    public var logS3Key: String
    /// The day of the log object, `YYYY-MM-DD`.
    public var date: String
    public var hour: Int
    /// `<submissionId>-driver` or `<submissionId>-exec-<n>`.
    public var containerId: String

    public init(logS3Key: String, date: String, hour: Int, containerId: String) {
        self.logS3Key = logS3Key
        self.date = date
        self.hour = hour
        self.containerId = containerId
    }
}
