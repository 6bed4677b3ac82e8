import Foundation

/// YAML documents parsed with libyaml's event parser into `YAMLNode` trees.
///
///     let documents = try YAML.parse(text)          // every document in a stream
///     let config = try YAML.parseDocument(text)     // exactly one (empty input is null)
///     let value = try YAMLDecoder().decode(Config.self, from: text)
public enum YAML {
    /// Bounds that protect against hostile documents.
    public struct Limits: Sendable {
        /// How many nodes aliases may copy in one document, counting nested aliases in full. A
        /// "billion laughs" document expands exponentially and hits this quickly. Default 100 000.
        public var maxAliasExpansion: Int
        /// How deeply collections may nest (decoding recurses once per level). Default 128.
        public var maxDepth: Int

        /// Creates limits; the defaults suit configuration files and request bodies.
        public init(maxAliasExpansion: Int = 100_000, maxDepth: Int = 128) {
            self.maxAliasExpansion = maxAliasExpansion
            self.maxDepth = maxDepth
        }
    }

    /// Parses every document of a YAML stream.
    ///
    /// - Throws: `YAMLError` naming the line and column of the first problem.
    public static func parse(_ text: String, limits: Limits = Limits()) throws -> [YAMLNode] {
        try parse(bytes: text.utf8, limits: limits)
    }

    /// Parses every document of a YAML stream given as bytes (UTF-8, or UTF-16 with a byte order mark).
    public static func parse(_ data: Data, limits: Limits = Limits()) throws -> [YAMLNode] {
        try parse(bytes: data, limits: limits)
    }

    /// Parses a stream that must hold at most one document; empty input (or only comments) is null.
    ///
    /// - Throws: `YAMLError` with code `.documentCount` when a second document follows.
    public static func parseDocument(_ text: String, limits: Limits = Limits()) throws -> YAMLNode {
        try single(parse(bytes: text.utf8, limits: limits, stopAfter: 2))
    }

    /// Parses bytes that must hold at most one document; empty input is null.
    public static func parseDocument(_ data: Data, limits: Limits = Limits()) throws -> YAMLNode {
        try single(parse(bytes: data, limits: limits, stopAfter: 2))
    }

    private static func single(_ documents: [YAMLNode]) throws -> YAMLNode {
        guard let first = documents.first else { return .null(YAMLMark(line: 1, column: 1)) }
        if documents.count > 1 {
            throw YAMLError(.documentCount, at: documents[1].mark, "expected a single document, found another one")
        }
        return first
    }

    private static func parse(bytes: some Collection<UInt8>, limits: Limits, stopAfter: Int = .max) throws
        -> [YAMLNode]
    {
        let parser = try EventParser(bytes: bytes)
        var builder = TreeBuilder(limits: limits)
        while true {
            let event = try parser.next()
            if case .streamEnd = event { break }
            try builder.handle(event)
            if builder.documents.count >= stopAfter { break }
        }
        return builder.documents
    }
}
