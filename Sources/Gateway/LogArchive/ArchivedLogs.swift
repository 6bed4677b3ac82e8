import Foundation
import HTTPServing
import Logging
import ObjectStorage
import Persistence

/// BPG's S3 fallback of `GET <root>/log`: the objects `logindex` lists for a container, read from
/// `sparkLogS3Bucket` as streams and written out line by line (docs/object-storage.md, "Reading
/// archived logs").
///
/// As BPG: each line is written with `\n`, a line holding a fluent-bit record (`…log\":\"TEXT\\n\",\"stream…`,
/// as an external indexer of fluent-bit output stores them) is replaced by its `TEXT`, a blank
/// line follows each object, and an object that cannot be read is logged and skipped.
struct ArchivedLogs: Sendable {
    let bucket: String
    let client: S3Client
    let store: any SubmissionStore
    let logger: Logger

    /// Lines longer than this are written as they are, unparsed, so memory stays bounded.
    static let maxLineBytes = 1 << 20
    /// Output is handed to the HTTP writer in pieces of about this size.
    static let flushBytes = 64 << 10

    /// The keys of a container's archived logs, sorted.
    func keys(containerId: String) async throws -> [String] {
        try await store.logKeys(containerId: containerId)
    }

    /// Streams every object of `keys` to `writer`.
    func write(keys: [String], to writer: HTTPBodyWriter) async throws {
        for key in keys {
            var output = Data()
            var line = Data()
            var overlong = false
            do {
                let download = try await client.getObject(bucket: bucket, key: key)
                for try await chunk in download {
                    var start = chunk.startIndex
                    while let newline = chunk[start...].firstIndex(of: 0x0A) {
                        if overlong {
                            output.append(chunk[start..<newline])
                            overlong = false
                        } else {
                            line.append(chunk[start..<newline])
                            output.append(Self.rewrite(line))
                        }
                        output.append(0x0A)
                        line.removeAll(keepingCapacity: true)
                        start = chunk.index(after: newline)
                    }
                    if overlong {
                        output.append(chunk[start...])
                    } else {
                        line.append(chunk[start...])
                        if line.count > Self.maxLineBytes {
                            output.append(line)
                            line.removeAll()
                            overlong = true
                        }
                    }
                    if output.count >= Self.flushBytes {
                        try await writer.write(output)
                        output.removeAll(keepingCapacity: true)
                    }
                }
                if !line.isEmpty || overlong {
                    output.append(overlong ? line : Self.rewrite(line))
                    output.append(0x0A)
                }
            } catch let error as ObjectStorageError {
                logger.warning("archived log could not be read", metadata: ["bucket": bucket, "key": key, "error": "\(error)"])
            }
            output.append(0x0A)
            try await writer.write(output)
        }
    }

    private static let recordStart = Data(#"log\":\""#.utf8)
    private static let recordEnd = Data(#"\\n\",\"stream"#.utf8)

    /// BPG's `.*log\\":\\"(.*)\\\\n\\",\\"stream.*` → `$1`: the text between the last `log\":\"`
    /// and the last `\\n\",\"stream` after it; any other line as it is.
    static func rewrite(_ line: Data) -> Data {
        guard let end = line.lastRange(of: recordEnd),
            let start = line[line.startIndex..<end.lowerBound].lastRange(of: recordStart)
        else { return line }
        return line[start.upperBound..<end.lowerBound]
    }
}

extension Data {
    fileprivate func lastRange(of pattern: Data) -> Range<Index>? {
        range(of: pattern, options: .backwards)
    }
}
