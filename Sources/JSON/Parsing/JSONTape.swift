/// A validated JSON text as a flat list of entries, one per value and one per object key, in
/// document order: what the parser produces, before (or instead of) building a ``JSONValue`` tree.
///
/// The decoder reads `Decodable` types straight from the tape and the input bytes, so a string is
/// made only when a field asks for one, and a member is found by comparing its key bytes with the
/// `CodingKey`'s UTF-8 in place. A container entry records the tape index just past its contents,
/// so skipping a member whose value is a large object costs one step.
struct JSONTape {
    enum Kind: UInt8 {
        case null, `false`, `true`
        /// A plain integer that fits `Int64` (no fraction, exponent, leading zero or `-0`): `end` holds the value.
        case integer
        /// Any other number: its text is `start..<end`.
        case number
        /// A string without escapes: its UTF-8 is `start..<end` (between the quotes).
        case string
        /// A string with escapes (already validated): its raw text is `start..<end`.
        case escapedString
        /// `count` elements follow; `end` is the tape index past the last one's contents.
        case array
        /// `count` members follow, each a key entry (string or escapedString) then its value; `end`
        /// is the tape index past the last value's contents. A repeated key is kept on the tape;
        /// readers let the last one win.
        case object
    }

    struct Entry {
        var kind: Kind
        var count: Int32
        /// Byte offset: the first byte of a literal, number or container, the first byte after a
        /// string's opening quote.
        var start: Int
        /// See ``Kind``.
        var end: Int

        @inline(__always) var isContainer: Bool { kind == .array || kind == .object }
    }

    var entries: [Entry]

    /// The tape index of the entry after `index` and its contents.
    @inline(__always)
    static func next(after index: Int, _ entries: UnsafeBufferPointer<Entry>) -> Int {
        let entry = entries[index]
        return entry.isContainer ? entry.end : index + 1
    }

    /// The string of a string entry (`string` or `escapedString`) of `bytes`.
    static func string(_ entry: Entry, _ bytes: UnsafeRawBufferPointer) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.end])
        if entry.kind == .string { return String(decoding: raw, as: UTF8.self) }
        return unescape(raw)
    }

    /// Decodes the escapes of validated string text (the scanner has checked every escape and the
    /// UTF-8 already).
    static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[at + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                default: digit = byte - UInt8(ascii: "A") + 10
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                buffer.append(byte)
                index += 1
                continue
            }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    let low = hex4(index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                UTF8.encode(Unicode.Scalar(scalar)!) { buffer.append($0) }
            default: buffer.append(escaped)  // " \ /
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The ``JSONValue`` of the entry at `index` (and its contents); `index` moves past them.
    static func value(at index: inout Int, _ entries: UnsafeBufferPointer<Entry>, _ bytes: UnsafeRawBufferPointer) -> JSONValue {
        let entry = entries[index]
        index += 1
        switch entry.kind {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer: return .number(JSONNumber(integer: Int64(entry.end)))
        case .number:
            return .number(JSONNumber(validText: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[entry.start..<entry.end]), as: UTF8.self)))
        case .string, .escapedString: return .string(string(entry, bytes))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(entry.count))
            while index < entry.end { elements.append(value(at: &index, entries, bytes)) }
            return .array(elements)
        case .object:
            var members: [JSONObject.Element] = []
            members.reserveCapacity(Int(entry.count))
            var positions: [String: Int] = [:]
            while index < entry.end {
                let key = string(entries[index], bytes)
                index += 1
                let member = value(at: &index, entries, bytes)
                // Keep keys unique (last value wins, at the first position). Objects are usually
                // small, so a scan finds a repeat; a large object (a big label map) gets an index
                // instead of a quadratic scan.
                if members.count < 16 {
                    if let existing = members.firstIndex(where: { $0.key == key }) {
                        members[existing].value = member
                    } else {
                        members.append((key: key, value: member))
                    }
                } else {
                    if positions.isEmpty {
                        for (position, element) in members.enumerated() { positions[element.key] = position }
                    }
                    if let existing = positions[key] {
                        members[existing].value = member
                    } else {
                        positions[key] = members.count
                        members.append((key: key, value: member))
                    }
                }
            }
            return .object(JSONObject(uniqueMembers: members))
        }
    }
}
