import Foundation
import Logging
import Synchronization
import Testing

@testable import Gateway

/// Every response carries `X-Request-Id`, and every log line written while handling the request
/// carries the same id as `request_id`.
@Suite struct RequestIDTests {
    final class Collector: LogHandler {
        let records = Mutex<[LogRecord]>([])
        func write(_ record: LogRecord) { records.withLock { $0.append(record) } }
    }

    @Test func logLinesCarryTheRequestId() async {
        let collector = Collector()
        let logger = Logger(label: "test", level: .info, handler: RequestIDLogHandler(wrapped: collector))
        logger.info("outside")
        await RequestID.$current.withValue("r-1") {
            logger.info("inside")
            await Task { logger.info("child task") }.value
        }
        let tagged = collector.records.withLock { $0.map { "\($0.message)=\($0.metadata["request_id"] ?? "-")" } }
        #expect(tagged == ["outside=-", "inside=r-1", "child task=r-1"])
    }

    @Test(arguments: [("abc-123.x_Y", "abc-123.x_Y"), ("", nil), ("bad id!", nil), (String(repeating: "a", count: 65), nil)])
    func clientIdsAreKeptOnlyWhenSane(header: String, kept: String?) {
        let id = RequestID.from(header)
        if let kept { #expect(id == kept) } else { #expect(id != header && !id.isEmpty) }
    }

    @Test func responsesEchoTheId() async throws {
        try await withGateway { gateway in
            let tagged = try await gateway.send("GET", "/healthcheck/status", headers: ["X-Request-Id": "trace-42"])
            #expect(tagged.headers["x-request-id"] == "trace-42")
            let failed = try await gateway.send("GET", "/spark/unknown-00000000000000000000000000000000/status", headers: ["X-Request-Id": "trace-43"])
            #expect(failed.status >= 400)
            #expect(failed.headers["x-request-id"] == "trace-43")
            let generated = try await gateway.send("GET", "/healthcheck/status")
            #expect(generated.headers["x-request-id"]?.isEmpty == false)
            let unauthenticated = try await gateway.send("GET", "/healthcheck/status", user: nil)
            #expect(unauthenticated.status == 401 && unauthenticated.headers["x-request-id"] != nil)
        }
    }
}
