import JSON
import Testing

/// The writer: escaping, layout, and that what it writes parses back to the same value.
struct WriterTests {
    @Test(arguments: [
        ("plain", #""plain""#), ("a\"b", #""a\"b""#), ("back\\slash", #""back\\slash""#), ("a/b", #""a/b""#),
        ("line\nfeed\r\t", #""line\nfeed\r\t""#), ("\u{01}\u{1F}\u{08}\u{0C}", #""\u0001\u001f\u0008\u000c""#),
        ("é😀", "\"é😀\""), ("\u{2028}", "\"\u{2028}\""),
    ])
    func escapesStrings(_ input: String, _ expected: String) throws {
        #expect(JSONWriter.quoted(input) == expected)
        #expect(try JSONValue(parsing: expected) == .string(input))
    }

    @Test func writesFieldsAndOmitsNil() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("name", "etl")
        writer.field("missing", nil as String?)
        writer.field("instances", 3)
        writer.field("args", ["a", "b"])
        writer.field("flag", false)
        writer.key("nested")
        writer.value(["x": [1, nil, 2.5]])
        writer.endObject()
        #expect(writer.string == #"{"name":"etl","instances":3,"args":["a","b"],"flag":false,"nested":{"x":[1,null,2.5]}}"#)
    }

    @Test func prettyPrints() {
        let value: JSONValue = ["b": [1, 2], "a": [:], "c": []]
        #expect(value.jsonString(JSONFormat(sortedKeys: true, prettyPrinted: true)) == """
            {
              "a" : {},
              "b" : [
                1,
                2
              ],
              "c" : []
            }
            """)
    }

    @Test func roundTripsADocument() throws {
        let text = #"{"kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"generation":9223372036854775807},"spec":{"ratio":0.1,"list":[true,false,null,"\u0000"]}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.jsonString() == text)
        #expect(try JSONValue(parsing: value.jsonBytes()) == value)
    }
}
