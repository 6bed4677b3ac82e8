import Foundation
import JSON
import Testing

/// `JSONValueEncoder` writes what Foundation's `JSONEncoder` writes (the gateway's response shapes
/// depend on it), in declaration order, with exact numbers and the module's escaper.
struct EncoderTests {
    struct Pod: Codable, Equatable {
        var name: String
        var cores: Int?
        var ratio: Double?
        var enabled: Bool?
        var labels: [String: String]?
        var args: [String]?
        var children: [Pod]?
        var big: UInt64?
        var small: Int8?
        var when: Date?
        var raw: JSONValue?
    }

    static let sample = Pod(
        name: "a\"b\\c\n\u{1}é/😀", cores: 4, ratio: 0.1, enabled: false, labels: ["z": "1", "a": "2"], args: ["x", ""],
        children: [Pod(name: "child", cores: nil, ratio: 3.0), Pod(name: "empty")], big: UInt64.max, small: -8,
        when: Date(timeIntervalSinceReferenceDate: 12.5), raw: ["n": 9_007_199_254_740_993, "d": 1.25, "l": [nil, true]])

    @Test func matchesJSONEncoderAsAValue() throws {
        let ours = try JSONValue(parsing: JSONValueEncoder().encode(Self.sample))
        let foundation = try JSONValue(parsing: JSONEncoder().encode(Self.sample))
        #expect(ours == foundation)
        #expect(try JSONDecoder().decode(Pod.self, from: Data(JSONValueEncoder().encode(Self.sample))) == Self.sample)
    }

    @Test func declarationOrderNilOmittedAndExactNumbers() throws {
        let text = String(decoding: try JSONValueEncoder().encode(Self.sample.children![0]), as: UTF8.self)
        #expect(text == #"{"name":"child","ratio":3}"#)
        let full = String(decoding: try JSONValueEncoder().encode(Self.sample), as: UTF8.self)
        #expect(full.hasPrefix(#"{"name":"a\"b\\c\n\u0001é/😀","cores":4,"ratio":0.1,"enabled":false,"labels":{"a":"2","z":"1"},"#))
        #expect(full.contains(#""big":18446744073709551615,"small":-8,"when":12.5,"#))
        #expect(full.hasSuffix(#""raw":{"n":9007199254740993,"d":1.25,"l":[null,true]}}"#))
    }

    @Test func sortedAndPrettyFormats() throws {
        let value = Pod(name: "n", cores: 1, labels: ["b": "1"])
        let sorted = String(decoding: try JSONValueEncoder(format: .init(sortedKeys: true)).encode(value), as: UTF8.self)
        #expect(sorted == #"{"cores":1,"labels":{"b":"1"},"name":"n"}"#)
        let pretty = String(decoding: try JSONValueEncoder(format: .init(prettyPrinted: true)).encode(value), as: UTF8.self)
        #expect(pretty == "{\n  \"name\" : \"n\",\n  \"cores\" : 1,\n  \"labels\" : {\n    \"b\" : \"1\"\n  }\n}")
    }

    @Test func nonFiniteNumbersThrowAsInJSONEncoder() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Pod(name: "x", ratio: .nan)) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.infinity]) }
    }

    /// Hand-written conformances: nested containers written after their siblings, super encoders,
    /// single values, and a type that formats its own string.
    struct Custom: Encodable {
        struct Token: Encodable, JSONStringEncodable {
            var bytes: [UInt8]
            var jsonString: String { bytes.map { String($0, radix: 16) }.joined() }
            func encode(to encoder: any Encoder) throws { Issue.record("the encoder uses jsonString") }
        }
        enum Keys: String, CodingKey { case outer, list, token, tail, single }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            var outer = c.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try c.encode(Token(bytes: [0xab, 0x1]), forKey: .token)
            try outer.encode("late", forKey: .tail)
            try list.encode(1)
            try list.encodeNil()
            var nested = list.nestedContainer(keyedBy: Keys.self)
            try nested.encode(true, forKey: .single)
            let single = c.superEncoder(forKey: .single)
            var value = single.singleValueContainer()
            try value.encode(Int16(-3))
        }
    }

    @Test func handWrittenConformances() throws {
        let text = String(decoding: try JSONValueEncoder().encode(Custom()), as: UTF8.self)
        #expect(text == #"{"outer":{"tail":"late"},"list":[1,null,{"single":true}],"token":"ab1","single":-3}"#)
    }

    @Test func topLevelScalarsAndEmptyValues() throws {
        #expect(try JSONValueEncoder().encode("s") == Array(#""s""#.utf8))
        #expect(try JSONValueEncoder().encode([String: Int]()) == Array("{}".utf8))
        #expect(try JSONValueEncoder().encode([Int]()) == Array("[]".utf8))
        #expect(try JSONValueEncoder().encode(Optional<Int>.none) == Array("null".utf8))
    }
}
