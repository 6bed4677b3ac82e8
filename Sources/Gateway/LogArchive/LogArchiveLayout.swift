import Foundation

/// Where archived logs go in `sparkLogS3Bucket`, and the container ids BPG's `logindex` uses.
///
/// Key: `<submissionId>/<yyyy-MM-dd>/<HH>/<containerId>.log`, the day and hour (UTC) of the
/// application's end. The key depends only on the submission and its end, so every attempt by every
/// replica writes the same object (docs/object-storage.md, "Key layout").
enum LogArchiveLayout {
    /// `<submissionId>-driver`.
    static func driverContainer(_ submissionId: String) -> String { "\(submissionId)-driver" }

    /// `<submissionId>-exec-<n>` for executor number `n` (BPG's `/log?execId=n`).
    static func executorContainer(_ submissionId: String, executor: String) -> String { "\(submissionId)-exec-\(executor)" }

    /// The executor number at the end of an executor pod's name (`…-exec-3` → `3`).
    static func executorNumber(ofPod podName: String) -> String? {
        guard let range = podName.range(of: "-exec-", options: .backwards) else { return nil }
        let number = podName[range.upperBound...]
        return !number.isEmpty && number.allSatisfy(\.isNumber) ? String(number) : nil
    }

    /// The container id `/log` looks up: the driver for an empty `execId` or one ending in `driver`.
    static func container(submissionId: String, executorId: String) -> String {
        executorId.isEmpty || executorId.hasSuffix("driver")
            ? driverContainer(submissionId) : executorContainer(submissionId, executor: executorId)
    }

    /// The object key, with the `logindex` day and hour.
    static func key(submissionId: String, containerId: String, ended: Date) -> (key: String, date: String, hour: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour], from: ended)
        let date = String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
        let hour = c.hour ?? 0
        return ("\(submissionId)/\(date)/\(String(format: "%02d", hour))/\(containerId).log", date, hour)
    }
}

/// Both values, or nil.
func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
