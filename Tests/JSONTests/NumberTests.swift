import JSON
import Testing

/// Numbers round-trip exactly: integers beyond 2^53, beyond 64 bits, and decimals keep their text.
struct NumberTests {
    @Test(arguments: [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551615",
        "123456789012345678901234567890", "0.1", "0.30000000000000004", "1e400", "-0", "1E+2", "2.50", "-0.0", "9007199254740993",
    ])
    func roundTripsExactly(_ text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.jsonString() == text)
        #expect(try JSONValue(parsing: "[\(text)]").jsonString() == "[\(text)]")
    }

    @Test func integersAreExact() throws {
        #expect(try JSONValue(parsing: "9223372036854775807").int64Value == Int64.max)
        #expect(try JSONValue(parsing: "-9223372036854775808").int64Value == Int64.min)
        #expect(try JSONValue(parsing: "9223372036854775808").int64Value == nil)
        #expect(try JSONValue(parsing: "2.0").intValue == 2)
        #expect(try JSONValue(parsing: "2.5").intValue == nil)
        #expect(try JSONValue(parsing: "0.1").doubleValue == 0.1)
    }

    @Test func doublesAreWrittenShortest() {
        #expect(JSONValue.double(0.1).jsonString() == "0.1")
        #expect(JSONValue.double(3.0).jsonString() == "3")
        #expect(JSONValue.double(1e300).jsonString() == "1e+300")
        #expect(JSONValue.double(.nan) == .null)
        #expect(JSONValue.double(-.infinity) == .null)
        #expect(JSONNumber(text: "01") == nil && JSONNumber(text: "1.5")?.text == "1.5")
    }

    @Test func equalNumbersHashEqual() {
        #expect(JSONNumber(text: "5") == JSONNumber(5))
        #expect(Set([JSONNumber(5), JSONNumber(text: "5")!]).count == 1)
    }
}
