/// A parsed JSON text as the decoder reads it: its own copy of the bytes and the parser's tape, both
/// in memory the document owns, so containers hold one reference and an index and read entries
/// without bounds-checked array access or reference counting per read.
///
/// A class because every decoder and container of one `decode` call shares it; it is never mutated
/// after `init`.
final class JSONDocument {
    let bytes: UnsafeRawBufferPointer
    let entries: UnsafeBufferPointer<JSONTape.Entry>
    /// Scalars coerced as ``JSONValueDecoder/lenientScalars`` describes.
    let lenient: Bool
    /// For objects over 32 members only (a label map read as a struct is rare): value positions by
    /// key, made on the first lookup, since a scan per field would be quadratic.
    private var positions: [Int: [String: Int]] = [:]

    init(copying source: some Collection<UInt8>, maximumDepth: Int, lenient: Bool) throws(JSONParseError) {
        let count = source.count
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        let copied = source.withContiguousStorageIfAvailable { buffer -> Bool in
            if count > 0 { storage.copyMemory(from: UnsafeRawBufferPointer(buffer)) }
            return true
        }
        if copied == nil { _ = storage.initializeMemory(as: UInt8.self, from: source) }
        let bytes = UnsafeRawBufferPointer(rebasing: storage[0..<count])
        let tape: [JSONTape.Entry]
        do {
            tape = try JSONParser.scan(bytes, maximumDepth: maximumDepth)
        } catch {
            storage.deallocate()
            throw error
        }
        let entries = UnsafeMutableBufferPointer<JSONTape.Entry>.allocate(capacity: tape.count)
        _ = entries.initialize(from: tape)
        self.bytes = bytes
        self.entries = UnsafeBufferPointer(entries)
        self.lenient = lenient
    }

    deinit {
        bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0).deallocate() }
        UnsafeMutableBufferPointer(mutating: entries).deallocate()
    }

    @inline(__always) subscript(index: Int) -> JSONTape.Entry { entries[index] }

    /// The tape index after the entry at `index` and its contents.
    @inline(__always) func next(after index: Int) -> Int { JSONTape.next(after: index, entries) }

    /// The string of the string entry at `index`.
    @inline(__always) func string(at index: Int) -> String { JSONTape.string(entries[index], bytes) }

    /// The tree of the value at `index`: only for `JSONValue` fields and `init(from:)` of types that
    /// ask for the tree.
    func value(at index: Int) -> JSONValue {
        var cursor = index
        return JSONTape.value(at: &cursor, entries, bytes)
    }

    /// A scalar entry as a `JSONValue` (no allocation but the string itself), so the scalar rules
    /// are the tree decoder's (``ValueDecoder``); a container as an empty one of its kind, which is
    /// all a type mismatch needs to describe it.
    @inline(__always)
    func scalarValue(at index: Int) -> JSONValue {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer: return .number(JSONNumber(integer: Int64(entry.end)))
        case .number, .string, .escapedString: return value(at: index)
        case .array: return .array([])
        case .object: return .object(JSONObject())
        }
    }

    /// Whether the key entry at `index` is `name`, compared as bytes (no string made unless the key
    /// holds escapes).
    @inline(__always)
    func key(at index: Int, equals name: UnsafeRawBufferPointer) -> Bool {
        let entry = entries[index]
        if entry.kind == .escapedString { return string(at: index).utf8.elementsEqual(name) }
        let length = entry.end - entry.start
        guard length == name.count else { return false }
        // Keys are short: a byte loop beats a call out to memcmp.
        var offset = 0
        while offset < length {
            if bytes[entry.start &+ offset] != name[offset] { return false }
            offset &+= 1
        }
        return true
    }

    /// The value index of the member `name` of the object at `object` (the last one when the key is
    /// repeated, as the tree keeps the last value); `nil` when absent.
    @inline(__always)
    func member(_ name: String, of object: Int) -> Int? {
        if let found = name.utf8.withContiguousStorageIfAvailable({ member(UnsafeRawBufferPointer($0), of: object) }) {
            return found
        }
        return Array(name.utf8).withUnsafeBytes { member($0, of: object) }
    }

    func member(_ name: UnsafeRawBufferPointer, of object: Int) -> Int? {
        if entries[object].count > 32 { return largeObjectMember(String(decoding: name, as: UTF8.self), of: object) }
        let end = entries[object].end
        var index = object + 1
        var found: Int?
        while index < end {
            if key(at: index, equals: name) { found = index + 1 }
            index = next(after: index + 1)
        }
        return found
    }

    private func largeObjectMember(_ name: String, of object: Int) -> Int? {
        if let table = positions[object] { return table[name] }
        var table: [String: Int] = [:]
        table.reserveCapacity(Int(entries[object].count))
        var index = object + 1
        while index < entries[object].end {
            table[string(at: index)] = index + 1  // a repeated key: the last wins
            index = next(after: index + 1)
        }
        positions[object] = table
        return table[name]
    }

    /// The member names of the object at `object`, in order, each once (first position).
    func memberNames(of object: Int) -> [String] {
        let entry = entries[object]
        var names: [String] = []
        names.reserveCapacity(Int(entry.count))
        var seen: Set<String> = []
        var index = object + 1
        while index < entry.end {
            let name = string(at: index)
            if entry.count <= 16 {
                if !names.contains(name) { names.append(name) }
            } else if seen.insert(name).inserted {
                names.append(name)
            }
            index = next(after: index + 1)
        }
        return names
    }
}
