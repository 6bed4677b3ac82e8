import Foundation

/// A configuration document as a plain tree of mappings, sequences and scalar strings.
///
/// Decode the file into a tree with any decoder (`JSONDecoder`, the YAML module's `YAMLDecoder`), then
/// load it with ``GatewayConfiguration/load(from:)``: loading from a tree lets the gateway coerce
/// scalars the way BPG's Jackson does (`weight: "100"`, `version: 3.2`) and list every key it did not
/// understand, whichever format the file was written in.
public enum ConfigurationTree: Hashable, Sendable, Codable {
    case null
    case scalar(String)
    case sequence([ConfigurationTree])
    case mapping([String: ConfigurationTree])

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if single.decodeNil() {
                self = .null
                return
            }
            if let string = try? single.decode(String.self) {
                self = .scalar(string)
                return
            }
            if let bool = try? single.decode(Bool.self) {
                self = .scalar(bool ? "true" : "false")
                return
            }
            if let int = try? single.decode(Int64.self) {
                self = .scalar(String(int))
                return
            }
            if let double = try? single.decode(Double.self) {
                self = .scalar(String(double))
                return
            }
        }
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            var mapping: [String: ConfigurationTree] = [:]
            for key in keyed.allKeys {
                mapping[key.stringValue] = try keyed.decode(ConfigurationTree.self, forKey: key)
            }
            self = .mapping(mapping)
            return
        }
        var unkeyed = try decoder.unkeyedContainer()
        var items: [ConfigurationTree] = []
        while !unkeyed.isAtEnd {
            items.append(try unkeyed.decode(ConfigurationTree.self))
        }
        self = .sequence(items)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .scalar(let string):
            var c = encoder.singleValueContainer()
            try c.encode(string)
        case .sequence(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .mapping(let mapping):
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            for (key, value) in mapping { try c.encode(value, forKey: AnyCodingKey(key)) }
        }
    }

    /// Parses a JSON document.
    public init(json: Data) throws {
        self = try JSONDecoder().decode(ConfigurationTree.self, from: json)
    }
}
