import Foundation
import JSON
import Testing

/// `JSONValue` inside models that go through Foundation's coders.
struct CodableTests {
    struct Envelope: Codable, Equatable {
        var name: String
        var raw: JSONValue
        var absent: JSONValue?
    }

    @Test func roundTripsThroughFoundation() throws {
        let raw: JSONValue = ["list": [nil, true, 1, 2.5, "s", ["nested": [:]]], "big": 9_007_199_254_740_993, "null": nil]
        let envelope = Envelope(name: "x", raw: raw, absent: nil)
        let data = try JSONEncoder().encode(envelope)
        #expect(try JSONDecoder().decode(Envelope.self, from: data) == envelope)
        #expect(try JSONValueDecoder().decode(Envelope.self, from: data) == envelope)
    }

    @Test func nullDecodesAsNullNotAsAnEmptyObject() throws {
        let decoded = try JSONDecoder().decode([JSONValue].self, from: Data("[null,{}]".utf8))
        #expect(decoded == [.null, .object([:])])
    }
}
