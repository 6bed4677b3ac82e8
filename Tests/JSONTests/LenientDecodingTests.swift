import JSON
import Testing

/// `JSONValueDecoder(lenientScalars: true)` reads scalars as Jackson does by default (the request
/// path depends on it); the default decoder stays as strict as Foundation's.
struct LenientDecodingTests {
    struct Fields: Decodable, Equatable {
        var text: String?
        var count: Int?
        var wide: Int64?
        var flag: Bool?
        var ratio: Double?
        var list: [String]?
        var map: [String: String]?
    }

    static let lenient = JSONValueDecoder(lenientScalars: true)

    @Test(arguments: [
        (#"{"text":12.50}"#, Fields(text: "12.50")),
        (#"{"text":true}"#, Fields(text: "true")),
        (#"{"count":1.9}"#, Fields(count: 1)),
        (#"{"count":"42"}"#, Fields(count: 42)),
        (#"{"count":-2.5}"#, Fields(count: -2)),
        (#"{"wide":"9007199254740993"}"#, Fields(wide: 9_007_199_254_740_993)),
        (#"{"flag":"TRUE"}"#, Fields(flag: true)),
        (#"{"flag":"false"}"#, Fields(flag: false)),
        (#"{"ratio":"0.25"}"#, Fields(ratio: 0.25)),
        (#"{"list":[1,"a",false]}"#, Fields(list: ["1", "a", "false"])),
        (#"{"map":{"a":4,"b":false,"c":"x"}}"#, Fields(map: ["a": "4", "b": "false", "c": "x"])),
    ])
    func coercesLikeJackson(json: String, expected: Fields) throws {
        #expect(try Self.lenient.decode(Fields.self, from: Array(json.utf8)) == expected)
    }

    @Test(arguments: [
        (#"{"text":{}}"#, ["text"]),
        (#"{"count":"many"}"#, ["count"]),
        (#"{"count":1e400}"#, ["count"]),
        (#"{"count":1e19}"#, ["count"]),
        (#"{"count":"1.5x"}"#, ["count"]),
        (#"{"flag":"yes"}"#, ["flag"]),
        (#"{"flag":1}"#, ["flag"]),
        (#"{"ratio":"NaN"}"#, ["ratio"]),
        (#"{"list":[1,[2]]}"#, ["list", "1"]),
        (#"{"list":["a",null]}"#, ["list", "1"]),
        (#"{"map":{"a":{"b":1}}}"#, ["map", "a"]),
    ])
    func stillRejectsWhatIsNotAScalarAndNamesThePath(json: String, path: [String]) {
        do {
            _ = try Self.lenient.decode(Fields.self, from: Array(json.utf8))
            Issue.record("\(json) decoded")
        } catch let error as DecodingError {
            let context: DecodingError.Context? = switch error {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): c
            default: nil
            }
            #expect(context?.codingPath.map(\.stringValue) == path, "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(arguments: [#"{"text":1}"#, #"{"count":1.5}"#, #"{"count":"1"}"#, #"{"flag":"true"}"#, #"{"list":[1]}"#, #"{"map":{"a":1}}"#])
    func theDefaultDecoderIsStrict(json: String) {
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Fields.self, from: Array(json.utf8)) }
    }
}
