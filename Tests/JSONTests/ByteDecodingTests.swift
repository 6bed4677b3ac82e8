import JSON
import Testing

/// Decoding from bytes reads the parser's tape, not a tree; decoding from a ``JSONValue`` walks the
/// tree. The two must agree on every result and every error (kind, coding path, message), strict
/// and lenient, or a request would mean one thing on the HTTP path and another elsewhere.
struct ByteDecodingTests {
    struct Pod: Decodable, Equatable {
        struct Env: Decodable, Equatable {
            var name: String
            var value: String?
        }
        var name: String
        var cores: Int?
        var memory: String?
        var ratio: Double?
        var small: Int8?
        var single: Float?
        var wide: UInt64?
        var flag: Bool?
        var env: [Env]?
        var labels: [String: String]?
        var args: [String]?
        var matrix: [[Int]]?
        var counts: [String: Int]?
        var raw: JSONValue?
        var kind: Kind?
        enum Kind: String, Decodable { case driver, executor }
    }

    /// The outcome of a decode as text, errors included, so two decoders can be compared.
    static func outcome<T: Decodable & Equatable>(_ type: T.Type, _ decode: () throws -> T) -> String {
        do {
            return "ok \(try decode())"
        } catch let error as DecodingError {
            func path(_ context: DecodingError.Context) -> String {
                context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case .typeMismatch(let type, let context): return "typeMismatch \(type) at \(path(context)): \(context.debugDescription)"
            case .valueNotFound(let type, let context): return "valueNotFound \(type) at \(path(context)): \(context.debugDescription)"
            case .keyNotFound(let key, let context): return "keyNotFound \(key.stringValue) at \(path(context)): \(context.debugDescription)"
            case .dataCorrupted(let context): return "dataCorrupted at \(path(context)): \(context.debugDescription)"
            @unknown default: return "\(error)"
            }
        } catch {
            return "\(error)"
        }
    }

    static let documents = [
        #"{"name":"a"}"#,
        #"{"name":"a","cores":2,"memory":"4g","ratio":0.25,"small":-128,"single":1.5,"wide":18446744073709551615,"flag":true}"#,
        #"{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y"}],"labels":{"k":"v","n":"m"},"args":["--x","1"]}"#,
        #"{"name":"a","matrix":[[1,2],[],[3]],"counts":{"a":1,"b":2},"raw":{"x":[null,true,1.50,"s"]},"kind":"executor"}"#,
        // Every scalar where another is declared: strict rejects, lenient coerces as Jackson does.
        #"{"name":12.50}"#, #"{"name":true}"#, #"{"name":null}"#, #"{"name":{}}"#, #"{"name":[]}"#,
        #"{"name":"a","cores":"42"}"#, #"{"name":"a","cores":1.9}"#, #"{"name":"a","cores":-2.5}"#, #"{"name":"a","cores":2.0}"#,
        #"{"name":"a","cores":1e400}"#, #"{"name":"a","cores":1e19}"#, #"{"name":"a","cores":"many"}"#, #"{"name":"a","cores":{}}"#,
        #"{"name":"a","small":128}"#, #"{"name":"a","small":"-1"}"#, #"{"name":"a","small":{}}"#, #"{"name":"a","single":[]}"#,
        #"{"name":"a","wide":-1}"#, #"{"name":"a","wide":18446744073709551616}"#, #"{"name":"a","ratio":"0.5"}"#,
        #"{"name":"a","ratio":1e400}"#, #"{"name":"a","ratio":true}"#, #"{"name":"a","flag":"TRUE"}"#, #"{"name":"a","flag":1}"#,
        #"{"name":"a","flag":null}"#, #"{"name":"a","kind":"other"}"#, #"{"name":"a","kind":1}"#,
        // Nested errors name their path.
        #"{"name":"a","env":[{"name":"X"},{"value":"1"}]}"#, #"{"name":"a","env":[{"name":"X"},{"name":null}]}"#,
        #"{"name":"a","env":[{"name":"X"},null]}"#, #"{"name":"a","env":{"name":"X"}}"#, #"{"name":"a","env":[{"name":[1]}]}"#,
        #"{"name":"a","labels":{"k":null}}"#, #"{"name":"a","labels":{"k":{"x":1}}}"#, #"{"name":"a","labels":{"k":7}}"#,
        #"{"name":"a","args":[1,true,null]}"#, #"{"name":"a","args":["x",[2]]}"#, #"{"name":"a","matrix":[[1],["2"]]}"#,
        #"{"name":"a","counts":{"a":"x"}}"#, #"{"cores":1}"#, #"[]"#, #"null"#, #""text""#,
        // Escapes in keys and values; repeated keys (the last value wins, as in the tree).
        #"{"na\u006de":"caf\u00e9 \"q\" \\ \/ \n \ud83d\ude00"}"#, #"{"name":"a","name":"b"}"#,
        #"{"name":"a","labels":{"k":"1","k":"2","j":"3"},"cores":1,"cores":2}"#, #"{"name":"a","env":[{"name":"x","name":"y"}]}"#,
    ]

    @Test(arguments: documents)
    func bytesAndTreeAgree(json: String) throws {
        let tree = try JSONValue(parsing: json)
        for lenient in [false, true] {
            let decoder = JSONValueDecoder(lenientScalars: lenient)
            let fromBytes = Self.outcome(Pod.self) { try decoder.decode(Pod.self, from: Array(json.utf8)) }
            let fromTree = Self.outcome(Pod.self) { try decoder.decode(Pod.self, from: tree) }
            #expect(fromBytes == fromTree, "lenient: \(lenient)")
        }
    }

    @Test func repeatedKeysTakeTheLastValue() throws {
        let pod = try JSONValueDecoder().decode(Pod.self, from: Array(#"{"name":"a","labels":{"k":"1","k":"2"},"name":"b"}"#.utf8))
        #expect(pod.name == "b")
        #expect(pod.labels == ["k": "2"])
        let counts = try JSONValueDecoder().decode([String: Int].self, from: Array(#"{"a":1,"b":2,"a":3}"#.utf8))
        #expect(counts == ["a": 3, "b": 2])
    }

    /// A struct read from an object with many members finds each through a table, and still lets
    /// the last repeated key win.
    @Test func largeObjects() throws {
        var members = (0..<100).map { #""k\#($0)":\#($0)"# }
        members.append(#""name":"first""#)
        members.append(#""name":"last""#)
        let pod = try JSONValueDecoder().decode(Pod.self, from: Array("{\(members.joined(separator: ","))}".utf8))
        #expect(pod.name == "last")
        let map = try JSONValueDecoder().decode([String: Int].self, from: Array("{\(members.prefix(100).joined(separator: ","))}".utf8))
        #expect(map.count == 100 && map["k99"] == 99)
    }

    @Test func malformedJSONAnywhereIsAParseErrorWithItsPath() throws {
        // The member is one the type ignores: the whole text is still validated first.
        let error = try #require(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Pod.self, from: Array(#"{"name":"a","ignored":{"list":[1,2,]}}"#.utf8))
        }
        guard case .dataCorrupted(let context) = error, let parse = context.underlyingError as? JSONParseError else {
            Issue.record("\(error)")
            return
        }
        #expect(parse.path == "$.ignored.list[2]")
        #expect(parse.reason == "unexpected character")
    }

    @Test(arguments: [
        ([0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D], "invalid UTF-8"),  // overlong "/"
        ([0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], "invalid UTF-8"),  // encoded surrogate
        (Array(#"{"n":"\ud800"}"#.utf8), "unpaired surrogate"),
        (Array(#"{"n":"\x"}"#.utf8), "invalid escape"),
        (Array("{\"n\":\"a\u{1}\"}".utf8), "control character in string"),
        (Array(#"{"n":01}"#.utf8), "invalid number"),
    ] as [([UInt8], String)])
    func invalidStringsAndNumbersAreRejected(bytes: [UInt8], reason: String) throws {
        let error = try #require(throws: DecodingError.self) { try JSONValueDecoder().decode([String: String].self, from: bytes) }
        guard case .dataCorrupted(let context) = error, let parse = context.underlyingError as? JSONParseError else {
            Issue.record("\(error)")
            return
        }
        #expect(parse.reason.hasPrefix(reason) || parse.reason == "expected ',' or '}'", "\(parse)")
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func theDepthLimitHolds() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = try #require(throws: DecodingError.self) { try JSONValueDecoder().decode(JSONValue.self, from: Array(deep.utf8)) }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(context.debugDescription.contains("nesting deeper than 512"))
        let within = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
        #expect(try JSONValueDecoder(maximumDepth: 20).decode(JSONValue.self, from: Array(within.utf8)) == (try JSONValue(parsing: within)))
        #expect(throws: DecodingError.self) { try JSONValueDecoder(maximumDepth: 19).decode(JSONValue.self, from: Array(within.utf8)) }
    }

    @Test func hugeNumbersStayExact() throws {
        struct Numbers: Decodable {
            var big: UInt64
            var negative: Int64
            var raw: JSONValue
            var text: String
        }
        let json = #"{"big":18446744073709551615,"negative":-9223372036854775808,"raw":[1e400,0.1,-0,123456789012345678901234567890],"text":1.10}"#
        let numbers = try JSONValueDecoder(lenientScalars: true).decode(Numbers.self, from: Array(json.utf8))
        #expect(numbers.big == .max && numbers.negative == .min)
        #expect(numbers.raw.jsonString() == "[1e400,0.1,-0,123456789012345678901234567890]")
        #expect(numbers.text == "1.10")
    }

    /// A primitive's `init(from:)` over an object or array is a type mismatch, not endless recursion.
    @Test func primitivesOverContainersAreMismatches() {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Float.self, from: Array("{}".utf8)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode([Int8].self, from: Array("[[1]]".utf8)) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode([String: UInt16].self, from: Array(#"{"a":{}}"#.utf8)) }
    }

    @Test func memberNamesAreTheDocumentsKeysOnce() throws {
        struct Names: Decodable {
            var names: [String]
            init(from decoder: any Decoder) throws { names = JSONValueDecoder.memberNames(of: decoder) ?? [] }
        }
        let names = try JSONValueDecoder().decode(Names.self, from: Array(#"{"b":1,"a\u0062":2,"b":3}"#.utf8))
        #expect(names.names == ["b", "ab"])
    }
}
