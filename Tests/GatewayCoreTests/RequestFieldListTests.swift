import Foundation
import FuzzSupport
import GatewayCore
import JSON
import Testing

/// A request field is declared once: the stored property (plus its memberwise-initialiser
/// parameter), and, for the top level only, its `CodingKeys` case and decode line, which the
/// unknown-field check needs. Everything else is derived from the model or checked against it here:
/// the decoder is the model's `Decodable` conformance (no second reader), the fuzz tests probe it
/// (FieldProbe), the OpenAPI schema is compared with it (OpenAPITests), and the documentation is
/// checked below. Forgetting one of the copies fails a test, never silently drops a field.
struct RequestFieldListTests {
    /// The stored properties of a value, by reflection.
    static func properties(of value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// The top-level keys `T.init(from:)` reads.
    static func keysRead<T: Decodable>(by type: T.Type) throws -> Set<String> {
        Set(try FieldProbe.leaves(of: type).compactMap { leaf -> String? in
            if case .key(let key) = leaf.path.first { key } else { nil }
        })
    }

    @Test func everyRequestPropertyIsReadUnderItsName() throws {
        #expect(try Self.keysRead(by: SubmitApplicationRequest.self) == Self.properties(of: SubmitApplicationRequest()))
    }

    @Test func everyPodSpecPropertyIsReadUnderItsName() throws {
        #expect(try Self.keysRead(by: SparkPodSpec.self) == Self.properties(of: SparkPodSpec()))
        #expect(try Self.keysRead(by: Dependencies.self) == Self.properties(of: Dependencies()))
        #expect(try Self.keysRead(by: RestartPolicy.self) == Self.properties(of: RestartPolicy()))
        #expect(try Self.keysRead(by: SecurityContext.self) == Self.properties(of: SecurityContext()))
        #expect(try Self.keysRead(by: EnvVar.self) == Self.properties(of: EnvVar(name: "n")))
    }

    /// The unknown-field check and its "known fields" list come from `CodingKeys`: a property
    /// without a case would be reported as unknown when sent.
    @Test func theKnownFieldListIsTheModel() throws {
        do {
            _ = try SubmitApplicationRequest.decode(json: Data(#"{"zzz":1}"#.utf8))
            Issue.record("an unknown field was accepted")
        } catch {
            let known = try #require(error.message.split(separator: "known fields: ").last?.dropLast())
            #expect(Set(known.split(separator: ", ").map(String.init)) == Self.properties(of: SubmitApplicationRequest()))
        }
    }

    /// Every field survives a round trip through the JSON module's encoder and the request decoder.
    @Test func roundTripThroughTheJSONModule() throws {
        let request = try SubmitApplicationRequest.decode(json: Data(RequestDecodingTests.full.utf8))
        let again = try SubmitApplicationRequest.decode(json: Data(try JSONValueEncoder().encode(request)))
        #expect(again == request)
        for (name, value) in Mirror(reflecting: request).children {
            #expect(!("\(value)" == "nil"), "the full example leaves \(name ?? "?") unset")
        }
    }

    /// docs/bpg-compatibility.md ("Request model") names every field of the request and the pod spec.
    @Test func theDocumentationNamesEveryField() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/bpg-compatibility.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Request model").dropFirst().first?.components(separatedBy: "\n## ").first)
        let fields = Self.properties(of: SubmitApplicationRequest()).union(Self.properties(of: SparkPodSpec()))
        for field in fields.sorted() {
            #expect(section.contains("`\(field)`"), "docs/bpg-compatibility.md, Request model, does not mention `\(field)`")
        }
    }
}
