/// An unkeyed container over a sequence.
struct UnkeyedContainer: UnkeyedDecodingContainer {
    let sequence: YAMLSequence
    let codingPath: [any CodingKey]
    let state: DecodingState
    private(set) var currentIndex = 0

    init(sequence: YAMLSequence, codingPath: [any CodingKey], state: DecodingState) {
        self.sequence = sequence
        self.codingPath = codingPath
        self.state = state
    }

    var count: Int? { sequence.count }
    var isAtEnd: Bool { currentIndex >= sequence.count }

    private func current(_ type: Any.Type) throws -> YAMLNode {
        guard !isAtEnd else {
            let error = YAMLError(
                .valueNotFound, at: sequence.mark, path: DecodingState.pathString(codingPath),
                "expected \(type) at index \(currentIndex), but the sequence has \(sequence.count) elements")
            throw DecodingError.valueNotFound(
                type,
                .init(
                    codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: error.description,
                    underlyingError: error))
        }
        return sequence[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard try current(Never?.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(type)
    }

    private mutating func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try state.decode(type, from: current(type), path: codingPath + [IndexKey(currentIndex)])
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    mutating func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let container = try decoderForCurrent([String: Any].self).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try decoderForCurrent([Any].self).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = try decoderForCurrent(Any.self)
        currentIndex += 1
        return decoder
    }

    private func decoderForCurrent(_ type: Any.Type) throws -> NodeDecoder {
        NodeDecoder(node: try current(type), codingPath: codingPath + [IndexKey(currentIndex)], state: state)
    }
}
