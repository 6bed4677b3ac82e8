extension YAMLNode: Encodable {
    /// Encodes the node with the JSON typing of `jsonObject()`: plain scalars by YAML 1.2's core
    /// schema (booleans, integers, floats, else strings), quoted scalars as strings, null as nil,
    /// mappings keyed by key text. Non-finite floats are handed to the encoder as `Double`s, so
    /// `JSONEncoder` rejects them unless told how to write them.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .scalar:
            var container = encoder.singleValueContainer()
            switch jsonObject() {
            case let value as Bool: try container.encode(value)
            case let value as Int: try container.encode(value)
            case let value as Double: try container.encode(value)
            case let value as String: try container.encode(value)
            default: try container.encodeNil()
            }
        case .sequence(let sequence):
            var container = encoder.unkeyedContainer()
            for element in sequence.elements { try container.encode(element) }
        case .mapping(let mapping):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for entry in mapping.entries {
                try container.encode(entry.value, forKey: AnyCodingKey(stringValue: entry.key.keyText))
            }
        }
    }
}
