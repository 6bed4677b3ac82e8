import Foundation

/// Decodes `Decodable` types from YAML the way `JSONDecoder` does from JSON.
///
///     struct Cluster: Decodable { var id: String; var weight: Int }
///     let cluster = try YAMLDecoder().decode(Cluster.self, from: "id: c01\nweight: 100")
///
/// Plain scalars are typed by what the target asks for: `weight: 100` decodes into `Int` and into
/// `String` (`"100"`), `3.5` into `String` keeps `"3.5"` exactly. Quoted scalars are strings, but a
/// quoted number or boolean is still accepted by a numeric or `Bool` field (as Jackson does). The full
/// rules are in `docs/yaml.md`.
///
/// Every error is a `YAMLError` whose description names the line, column and coding path, for example
/// `line 7, column 5 (sparkClusters[0].weight): expected Int, found "abc"`; its `decodingError`
/// holds the same failure as a `DecodingError`.
public struct YAMLDecoder: Sendable {
    /// Bounds applied while parsing text or data.
    public var limits: YAML.Limits
    /// When true, a mapping key that the decoded type never asks for is an error (`.unknownKey`),
    /// which catches misspelt configuration keys. Types that read `allKeys` (dictionaries) accept
    /// every key. Default false, like `JSONDecoder`.
    public var rejectsUnknownKeys: Bool
    /// Passed to the decoded types as `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates a decoder with default limits that ignores unknown keys.
    public init() {
        limits = YAML.Limits()
        rejectsUnknownKeys = false
        userInfo = [:]
    }

    /// Decodes a value from a YAML document given as text (exactly one document; empty input is null).
    public func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try decode(type, from: YAML.parseDocument(text, limits: limits))
    }

    /// Decodes a value from a YAML document given as bytes.
    public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try decode(type, from: YAML.parseDocument(data, limits: limits))
    }

    /// Decodes a value from an already parsed node.
    public func decode<T: Decodable>(_ type: T.Type, from node: YAMLNode) throws -> T {
        let state = DecodingState(userInfo: userInfo, tracksKeys: rejectsUnknownKeys)
        do {
            let value = try state.decode(type, from: node, path: [])
            try state.checkUnknownKeys()
            return value
        } catch let error as DecodingError {
            throw YAMLError(error, root: node)
        }
    }
}
