/// The unkeyed container over an array of a ``JSONDocument``: a cursor over the elements' entries.
struct DocumentUnkeyedContainer: UnkeyedDecodingContainer {
    let document: JSONDocument
    let path: CodingPathNode?
    let count: Int?
    private let end: Int
    /// The tape index of the current element.
    private var cursor: Int
    private(set) var currentIndex = 0

    init(document: JSONDocument, array: Int, path: CodingPathNode?) {
        self.document = document
        self.path = path
        let entry = document[array]
        count = Int(entry.count)
        end = entry.end
        cursor = array + 1
    }

    var codingPath: [any CodingKey] { CodingPathNode.keys(path) }
    var isAtEnd: Bool { cursor >= end }

    private func elementPath() -> CodingPathNode { CodingPathNode(parent: path, key: IndexKey(currentIndex)) }

    private func current<T>(_ type: T.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "array ended"))
        }
        return cursor
    }

    private mutating func advance() {
        cursor = document.next(after: cursor)
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool {
        if document[try current(Never.self)].kind == .null {
            advance()
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = try current(T.self)
        if document[index].kind == .null, T.self != JSONValue.self {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "null for \(T.self)"))
        }
        let decoded = try DocumentDecoder.decode(type, document, at: index, path: elementPath())
        advance()
        return decoded
    }

    mutating func decode(_ type: String.Type) throws -> String {
        let index = try current(String.self)
        let text: String
        if document[index].kind == .string {
            text = document.string(at: index)
        } else {
            let position = currentIndex
            text = try ValueDecoder.string(document.scalarValue(at: index), lenient: document.lenient, path: { codingPath + [IndexKey(position)] })
        }
        advance()
        return text
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try DocumentDecoder(document: document, index: current(NestedKey.self), path: elementPath()).container(keyedBy: type)
        advance()
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let container = try DocumentDecoder(document: document, index: current([JSONValue].self), path: elementPath()).unkeyedContainer()
        advance()
        return container
    }

    mutating func superDecoder() throws -> any Decoder {
        let decoder = DocumentDecoder(document: document, index: try current(JSONValue.self), path: elementPath())
        advance()
        return decoder
    }
}
