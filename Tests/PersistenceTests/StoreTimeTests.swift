import Foundation
import Testing

@testable import Persistence

@Suite struct StoreTimeTests {
    @Test func formatsUTCWithAndWithoutMicroseconds() {
        let date = Date(timeIntervalSince1970: 946_688_461.000_042)  // 2000-01-01T01:01:01.000042Z
        #expect(StoreTime.seconds(date) == "2000-01-01 01:01:01")
        #expect(StoreTime.micros(date) == "2000-01-01 01:01:01.000042")
        #expect(StoreTime.seconds(Date(timeIntervalSince1970: 1_767_225_599.999_999)) == "2025-12-31 23:59:59")
    }

    @Test func parsesWhatItFormatsAndWhatMySQLReturns() throws {
        let date = Date(timeIntervalSince1970: 1_760_000_000.123_456)
        let parsed = try #require(StoreTime.parse(StoreTime.micros(date)))
        #expect(StoreTime.microseconds(parsed) == StoreTime.microseconds(date))
        #expect(StoreTime.parse("2000-01-01 01:01:01") == Date(timeIntervalSince1970: 946_688_461))
        #expect(StoreTime.parse("2000-01-01T01:01:01.5") == Date(timeIntervalSince1970: 946_688_461.5))
        #expect(StoreTime.parse("not a time") == nil)
        #expect(StoreTime.parse("2000-01-01 01:01") == nil)
    }
}
