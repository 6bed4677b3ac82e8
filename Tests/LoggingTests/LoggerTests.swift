import Foundation
import Testing

@testable import Logging

@Suite struct LoggerTests {
    /// Collects records in memory.
    final class Collector: LogHandler, @unchecked Sendable {
        // Tests call the logger from one task; the lock only guards against surprises.
        private let lock = NSLock()
        private var stored: [LogRecord] = []
        var records: [LogRecord] { lock.withLock { stored } }
        func write(_ record: LogRecord) { lock.withLock { stored.append(record) } }
    }

    @Test func dropsLinesBelowTheLevelWithoutBuildingThem() {
        let collector = Collector()
        let logger = Logger(label: "test", level: .info, handler: collector)
        var built = false
        logger.debug({ built = true; return "expensive" }())
        logger.info("kept")
        #expect(built == false)
        #expect(collector.records.map(\.message) == ["kept"])
    }

    @Test func mergesLoggerAndLineMetadata() {
        let collector = Collector()
        var logger = Logger(label: "test", level: .trace, handler: collector)
        logger[metadataKey: "request_id"] = "r-1"
        logger.warning("slow", metadata: ["cluster": "a"])
        #expect(collector.records.first?.metadata == ["request_id": "r-1", "cluster": "a"])
        #expect(collector.records.first?.level == .warning)
    }

    @Test func jsonLinesAreValidJSONWithEscapes() throws {
        var pipe: [Int32] = [0, 0]
        #expect(Foundation.pipe(&pipe) == 0)
        let handler = JSONLinesLogHandler(fileDescriptor: pipe[1])
        let logger = Logger(label: "bpg.test", level: .info, handler: handler)
        logger.info("line \"one\"\nsecond", metadata: ["path": "/a b", "ctl": "\u{1}"])
        close(pipe[1])
        let data = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(object["msg"] == "line \"one\"\nsecond")
        #expect(object["level"] == "info")
        #expect(object["logger"] == "bpg.test")
        #expect(object["path"] == "/a b")
        #expect(object["ctl"] == "\u{1}")
    }

    @Test(arguments: [("simple", "simple"), ("two words", "\"two words\""), ("", "\"\""), ("a=b", "\"a=b\"")])
    func logfmtQuotesOnlyWhenNeeded(input: String, expected: String) {
        #expect(logfmtValue(input) == expected)
    }

    @Test func levelsParseFromNames() {
        #expect(Logger.Level(name: "WARN") == .warning)
        #expect(Logger.Level(name: "debug") == .debug)
        #expect(Logger.Level(name: "loud") == nil)
    }
}
