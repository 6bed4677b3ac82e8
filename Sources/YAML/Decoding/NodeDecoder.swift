/// The `Decoder` for one node.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let state: DecodingState

    var userInfo: [CodingUserInfoKey: Any] { state.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw state.mismatch([String: Any].self, node, codingPath, expected: "a mapping")
        }
        state.noteContainer(for: mapping, path: codingPath)
        return KeyedDecodingContainer(KeyedContainer<Key>(mapping: mapping, codingPath: codingPath, state: state))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw state.mismatch([Any].self, node, codingPath, expected: "a sequence")
        }
        return UnkeyedContainer(sequence: sequence, codingPath: codingPath, state: state)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath, state: state)
    }
}
