import Foundation
import Testing

import JSON

@testable import KubeClient

/// KubeClient's models through the JSON module's decoder decode exactly what Foundation's JSONDecoder
/// decodes (the parser's own conformance table is in JSONTests), `Data` as base64 included.
struct JSONDecodingTests {
    struct Sample: Codable, Equatable {
        struct Inner: Codable, Equatable {
            var flag: Bool
            var ratio: Double
            var count: UInt8?
        }
        var name: String
        var number: Int
        var big: Int64
        var optional: String?
        var nullable: Int?
        var list: [Inner]
        var map: [String: [Int]]
        var data: Data
        var raw: JSONValue
    }

    static let document = #"""
        { "name": "caf\u00e9 \"quoted\" \\ \/ \n\t😀 \ud83d\ude00", "number": -42, "big": 9007199254740993,
          "nullable": null, "list": [ {"flag": true, "ratio": 1.5e2, "count": 255}, {"flag": false, "ratio": -0.25} ],
          "map": {"a": [1, 2, 3], "b": []}, "data": "aGVsbG8=",
          "raw": {"x": [null, true, 1, 2.5, "s", {"y": {}}], "z": 12345678901234} }
        """#

    @Test func decodesLikeFoundation() throws {
        let data = Data(Self.document.utf8)
        let fast = try JSONValueDecoder().decode(Sample.self, from: data)
        let foundation = try JSONDecoder().decode(Sample.self, from: data)
        #expect(fast == foundation)
        #expect(fast.name == "café \"quoted\" \\ / \n\t😀 😀")
        #expect(fast.big == 9_007_199_254_740_993, "integers stay exact beyond 2^53")
        #expect(fast.data == Data("hello".utf8))
        #expect(fast.raw["z"] == 12_345_678_901_234)
    }

    @Test func kubernetesModelsDecodeTheSame() throws {
        let pod = Data(#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","namespace":"n","labels":{"a":"b"},"resourceVersion":"17","generation":3},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"i"}]},"status":{"phase":"Running","containerStatuses":[{"name":"c","ready":true,"restartCount":2,"state":{"running":{"startedAt":"2026-11-25T12:00:00Z"}}}]}}"#.utf8)
        #expect(try JSONValueDecoder().decode(Pod.self, from: pod) == (try JSONDecoder().decode(Pod.self, from: pod)))
        let untyped = try JSONValueDecoder().decode(UntypedObject.self, from: pod)
        #expect(untyped == (try JSONDecoder().decode(UntypedObject.self, from: pod)))
        #expect(untyped.metadata.resourceVersion == "17")
        let list = Data(#"{"kind":"PodList","metadata":{"resourceVersion":"9","continue":"t"},"items":null}"#.utf8)
        let decoded = try JSONValueDecoder().decode(ObjectList<Pod>.self, from: list)
        #expect(decoded.items.isEmpty && decoded.metadata.continue == "t")
    }

    @Test func typeErrorsNameThePath() throws {
        let data = Data(#"{"name":"x","number":"not a number","big":1,"list":[],"map":{},"data":"","raw":null}"#.utf8)
        do {
            _ = try JSONValueDecoder().decode(Sample.self, from: data)
            Issue.record("decoded a string as Int")
        } catch {
            #expect(KubernetesClient.describe(error).contains(".number"))
        }
        let missing = Data(#"{"name":"x"}"#.utf8)
        #expect(throws: DecodingError.self) { _ = try JSONValueDecoder().decode(Sample.self, from: missing) }
        let overflow = Data(#"{"flag":true,"ratio":1,"count":256}"#.utf8)
        #expect(throws: DecodingError.self) { _ = try JSONValueDecoder().decode(Sample.Inner.self, from: overflow) }
    }
}
