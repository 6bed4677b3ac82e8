import Foundation
import JSON
import Synchronization

/// Writes one JSON object per line: `{"ts":"…","level":"info","logger":"bpg.server","msg":"…",…metadata}`.
public final class JSONLinesLogHandler: LogHandler {
    /// Lines to standard error, the usual place for a server's logs.
    public static let standardError = JSONLinesLogHandler(fileDescriptor: 2)

    private let sink: LineSink

    /// Writes to an open file descriptor, which stays owned by the caller.
    public init(fileDescriptor: Int32) {
        sink = LineSink(fileDescriptor: fileDescriptor)
    }

    public func write(_ record: LogRecord) {
        var line = "{\"ts\":\(jsonString(LineSink.timestamp(record.date)))"
        line += ",\"level\":\(jsonString(record.level.description))"
        line += ",\"logger\":\(jsonString(record.label))"
        line += ",\"msg\":\(jsonString(record.message))"
        for key in record.metadata.keys.sorted() {
            line += ",\(jsonString(key)):\(jsonString(record.metadata[key]!))"
        }
        line += "}\n"
        sink.write(line)
    }
}

/// Writes logfmt lines: `ts=… level=info logger=bpg.server msg="…" key=value`.
public final class LogfmtLogHandler: LogHandler {
    public static let standardError = LogfmtLogHandler(fileDescriptor: 2)

    private let sink: LineSink

    public init(fileDescriptor: Int32) {
        sink = LineSink(fileDescriptor: fileDescriptor)
    }

    public func write(_ record: LogRecord) {
        var line = "ts=\(LineSink.timestamp(record.date)) level=\(record.level) logger=\(logfmtValue(record.label))"
        line += " msg=\(logfmtValue(record.message))"
        for key in record.metadata.keys.sorted() {
            line += " \(key)=\(logfmtValue(record.metadata[key]!))"
        }
        line += "\n"
        sink.write(line)
    }
}

/// Keeps the lines of concurrent writers whole: one `write(2)` per line, under a lock.
private final class LineSink: Sendable {
    private let fileDescriptor: Int32
    private let lock = Mutex(())

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func write(_ line: String) {
        lock.withLock { _ in
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { buffer in
                    Foundation.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written < 0 && errno == EINTR { continue }  // interrupted by a signal: write the rest
                if written <= 0 { return }  // a closed log sink must not take the process down
                offset += written
            }
            bytes.removeAll()
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}

/// A JSON string literal, escaped by the JSON module's one escaper.
func jsonString(_ value: String) -> String {
    JSONWriter.quoted(value)
}

/// A logfmt value: bare when it is a simple token, quoted otherwise.
func logfmtValue(_ value: String) -> String {
    let needsQuotes = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 }
    return needsQuotes ? jsonString(value) : value
}
