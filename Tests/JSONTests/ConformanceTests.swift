import JSON
import Testing

/// RFC 8259 conformance: what the parser accepts and rejects, with the reason it gives.
struct ConformanceTests {
    @Test(arguments: [
        "null", "true", "false", "0", "-0", "1", "-1", "0.5", "-0.5e10", "1E+2", "1e-2", "123456789012345678901234567890",
        #""""#, #""a""#, #""\"\\\/\b\f\n\r\t""#, #""\u0041\u00e9\ud83d\ude00""#, #""é😀""#, "[]", "{}", "[1,[2,[3]]]",
        #"{"a":{"b":[null,{}]}}"#, " \t\r\n[ 1 , 2 ] \n", #"{"":0}"#, "\"\u{7F}\"",
    ])
    func accepts(_ text: String) throws {
        _ = try JSONValue(parsing: text)
    }

    @Test(arguments: [
        ("", "unexpected end of input"), ("{", "expected a key"), ("[1,]", "unexpected character"),
        (#"{"a":1,}"#, "expected a key"), ("01", "invalid number"), ("1.", "invalid number"), ("-", "invalid number"),
        (".5", "unexpected character"), ("1e", "invalid number"), ("+1", "unexpected character"), ("0x10", "unexpected data after the value"),
        (#""\x""#, "invalid escape"), ("\"a\u{01}\"", "control character in string"), ("tru", "invalid literal"),
        ("True", "unexpected character"), (#"{"a" 1}"#, "expected ':'"), ("[1 2]", "expected ',' or ']'"),
        (#""\ud800""#, "unpaired surrogate"), (#""\udc00""#, "unpaired surrogate"), (#""\ud800\u0041""#, "unpaired surrogate"),
        ("1 2", "unexpected data after the value"), ("nul", "invalid literal"), ("{1:2}", "expected a key"),
        ("\"unterminated", "unterminated string"), ("['a']", "unexpected character"), ("[1]//", "unexpected data after the value"),
        (#""\u12""#, "invalid \\u escape"), ("NaN", "unexpected character"), ("[Infinity]", "unexpected character"),
        ("\u{FEFF}1", "unexpected character"),
    ])
    func rejects(_ text: String, reason: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        do {
            _ = try JSONValue(parsing: text)
        } catch {
            #expect(error.reason == reason, "\(text): \(error)")
        }
    }

    @Test func errorsCarryOffsetAndPath() throws {
        let text = #"{"spec":{"driver":{"env":[{"name":"A"},{"name":tru}]}}}"#
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        #expect(error.path == "$.spec.driver.env[1].name")
        #expect(error.offset == Array(text.utf8).firstIndex(of: UInt8(ascii: "t"))!)
        #expect(error.description.contains("byte \(error.offset)") && error.description.contains("$.spec.driver.env[1].name"))
    }

    @Test(arguments: [
        ([0x22, 0xC3, 0x28, 0x22], 1),  // a lead byte without its continuation
        ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong "/"
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong, three bytes
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0x61, 0xFF, 0x22], 2),  // never valid
        ([0x22, 0x5C, 0x6E, 0x80, 0x22], 3),  // a stray continuation after an escape
        ([0x22, 0xE2, 0x82], 1),  // truncated at the end
    ] as [([UInt8], Int)])
    func rejectsInvalidUTF8(_ bytes: [UInt8], offset: Int) throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        #expect(error.reason == "invalid UTF-8")
        #expect(error.offset == offset)
    }

    @Test func acceptsEveryWellFormedUTF8Length() throws {
        let text = "\"a é € 😀 \u{10FFFF}\""
        #expect(try JSONValue(parsing: Array(text.utf8)) == .string("a é € 😀 \u{10FFFF}"))
    }

    @Test func surrogatePairsDecodeToOneScalar() throws {
        #expect(try JSONValue(parsing: #""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONValue(parsing: #""\uD834\uDD1E x""#) == .string("𝄞 x"))
    }

    @Test func nestingBeyondTheLimitThrowsInsteadOfOverflowing() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONValue(parsing: ok)
        for opening in ["[", #"{"a":"#] {
            let deep = String(repeating: opening, count: 100_000)
            let error = try #require(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
            #expect(error.reason == "nesting deeper than 512")
        }
        let tight = try #require(throws: JSONParseError.self) { try JSONValue(parsing: "[[[1]]]", maximumDepth: 2) }
        #expect(tight.offset == 2 && tight.path == "$[0][0]")
    }

    /// Duplicate keys: the last value wins, at the first key's position (as Jackson and Foundation).
    @Test func duplicateKeysLastWins() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == 3)
        var members = "{"
        for index in 0..<40 { members += #""k\#(index)":\#(index),"# }
        members += #""k7":"last"}"#
        let large = try JSONValue(parsing: members)
        #expect(large.objectValue?.count == 40)
        #expect(large["k7"] == "last")
    }

    @Test func objectsKeepTheirOrder() throws {
        let text = #"{"z":1,"a":2,"m":{"y":true,"b":null}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value.jsonString() == text)
        #expect(value.jsonString(JSONFormat(sortedKeys: true)) == #"{"a":2,"m":{"b":null,"y":true},"z":1}"#)
        #expect(value == (try JSONValue(parsing: #"{"a":2,"m":{"b":null,"y":true},"z":1}"#)), "equality ignores order")
    }
}
