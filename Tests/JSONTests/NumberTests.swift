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

    /// Equality is by decimal value, exactly: however a number is written, never rounded to a Double.
    @Test(arguments: [
        ("5", "5", true), ("1", "1.0", true), ("1", "10e-1", true), ("-0", "0", true), ("0.0", "0e5", true),
        ("1.50", "15E-1", true), ("100", "1e2", true), ("0.1", "0.10000000000000001", false),
        ("9007199254740993", "9007199254740992", false), ("9007199254740993", "9007199254740993.0", true),
        ("1", "-1", false), ("12345678901234567890123", "1.2345678901234567890123e22", true),
    ])
    func equalityIsByExactValue(_ a: String, _ b: String, _ equal: Bool) throws {
        let x = try #require(JSONNumber(text: a))
        let y = try #require(JSONNumber(text: b))
        #expect((x == y) == equal)
        if equal { #expect(x.hashValue == y.hashValue) }
    }
}
