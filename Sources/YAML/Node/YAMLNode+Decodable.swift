extension YAMLNode: Decodable {
    /// With `YAMLDecoder`, the node itself (so a field can hold an arbitrary YAML subtree, in order and
    /// with positions). With other decoders, a best-effort rebuild: numbers and booleans become plain
    /// scalars, strings quoted scalars, and objects mappings (in the decoder's key order).
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? NodeDecoder {
            self = decoder.node
            return
        }
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            self = .mapping(
                YAMLMapping(
                    try keyed.allKeys.map { key in
                        YAMLMapping.Entry(
                            key: .scalar(YAMLScalar(key.stringValue)), value: try keyed.decode(YAMLNode.self, forKey: key))
                    }))
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var elements: [YAMLNode] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(YAMLNode.self)) }
            self = .sequence(YAMLSequence(elements))
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null(.unknown)
        } else if let value = try? single.decode(Bool.self) {
            self = .scalar(YAMLScalar(value ? "true" : "false"))
        } else if let value = try? single.decode(Int64.self) {
            self = .scalar(YAMLScalar(String(value)))
        } else if let value = try? single.decode(Double.self) {
            self = .scalar(YAMLScalar(String(value)))
        } else {
            self = .scalar(YAMLScalar(try single.decode(String.self), style: .doubleQuoted))
        }
    }
}

/// Any string or integer key.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
