import JSON
import Testing

/// The `Decoder`: what `JSONDecoder` decodes with default strategies, with errors naming the path.
struct DecoderTests {
    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var flag: Bool
            var ratio: Double
            var count: UInt8?
        }
        enum Kind: String, Codable { case a, b }
        var name: String
        var number: Int
        var big: Int64
        var huge: UInt64
        var optional: String?
        var nullable: Int?
        var list: [Inner]
        var map: [String: [Int]]
        var kind: Kind
        var raw: JSONValue
    }

    static let document = #"""
        { "name": "caf\u00e9 \"quoted\" \\ \/ \n\t😀 \ud83d\ude00", "number": -42, "big": 9007199254740993,
          "huge": 18446744073709551615, "nullable": null, "kind": "b",
          "list": [ {"flag": true, "ratio": 1.5e2, "count": 255}, {"flag": false, "ratio": -0.25} ],
          "map": {"a": [1, 2, 3], "b": []},
          "raw": {"x": [null, true, 1, 2.5, "s", {"y": {}}], "z": 12345678901234} }
        """#

    @Test func decodesEveryKind() throws {
        let sample = try JSONValueDecoder().decode(Sample.self, from: Array(Self.document.utf8))
        #expect(sample.name == "café \"quoted\" \\ / \n\t😀 😀")
        #expect(sample.number == -42)
        #expect(sample.big == 9_007_199_254_740_993, "integers stay exact beyond 2^53")
        #expect(sample.huge == UInt64.max)
        #expect(sample.optional == nil && sample.nullable == nil)
        #expect(sample.list == [.init(flag: true, ratio: 150, count: 255), .init(flag: false, ratio: -0.25, count: nil)])
        #expect(sample.map == ["a": [1, 2, 3], "b": []])
        #expect(sample.kind == .b)
        #expect(sample.raw["z"] == 12_345_678_901_234)
        #expect(sample.raw["x"]?[3] == 2.5)
    }

    @Test func malformedJSONIsADecodingError() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.self, from: Array("{".utf8)) }
    }

    @Test func typeErrorsNameThePath() throws {
        let bytes = Array(#"{"name":"x","number":1,"big":1,"huge":1,"list":[{"flag":"yes","ratio":1}],"map":{},"kind":"a","raw":null}"#.utf8)
        let error = try #require(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.self, from: bytes) }
        guard case .typeMismatch(_, let context) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["list", "0", "flag"])
    }

    @Test(arguments: [#"{"flag":true,"ratio":1,"count":256}"#, #"{"flag":true,"ratio":1,"count":-1}"#, #"{"flag":true,"ratio":1,"count":1.5}"#])
    func integersMustFit(_ text: String) {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.Inner.self, from: Array(text.utf8)) }
    }

    @Test func missingAndNullRequiredFieldsThrow() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.Inner.self, from: Array(#"{"flag":true}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Sample.Inner.self, from: Array(#"{"flag":null,"ratio":1}"#.utf8)) }
    }

    struct Base64: JSONStringDecodable, Decodable, Equatable {
        var text: String
        init?(jsonString string: String) {
            guard string.hasPrefix("b64:") else { return nil }
            text = String(string.dropFirst(4))
        }
        init(from decoder: any Decoder) throws { fatalError("decoded through JSONStringDecodable") }
    }

    @Test func stringDecodableTypesParseTheirString() throws {
        #expect(try JSONValueDecoder().decode([Base64].self, from: Array(#"["b64:hi"]"#.utf8)) == [Base64(jsonString: "b64:hi")!])
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Base64.self, from: Array(#""nope""#.utf8)) }
    }

    @Test func decodesFromAValue() throws {
        let value: JSONValue = ["flag": true, "ratio": 2]
        #expect(try JSONValueDecoder().decode(Sample.Inner.self, from: value) == .init(flag: true, ratio: 2, count: nil))
    }
}
