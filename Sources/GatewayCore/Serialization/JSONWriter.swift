/// A minimal JSON byte writer for the hot path (Foundation's `JSONEncoder` costs several times more
/// than the rest of a submission). Objects are written field by field; nil fields are omitted.
struct JSONWriter {
    var bytes: [UInt8] = []
    /// Whether the next value or key needs a preceding comma: false right after `{`, `[` or a key.
    private var needsComma = false

    init(capacity: Int = 2048) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the value follows without a separator.
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Fast path: nothing to escape (the usual case for names, labels and paths): one copy.
        let copied = value.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            for byte in buffer where byte < 0x20 || byte == 34 || byte == 92 { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if copied != true {
            for byte in value.utf8 {
                switch byte {
                case 34: bytes.append(contentsOf: [92, 34])
                case 92: bytes.append(contentsOf: [92, 92])
                case 0x0A: bytes.append(contentsOf: [92, 110])
                case 0x0D: bytes.append(contentsOf: [92, 114])
                case 0x09: bytes.append(contentsOf: [92, 116])
                case 0..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func int<I: BinaryInteger>(_ value: I) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    // MARK: Optional fields

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field<I: BinaryInteger>(_ name: String, _ value: I?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    mutating func field(_ name: String, _ value: [String]?) {
        guard let value else { return }
        key(name)
        beginArray()
        for item in value { string(item) }
        endArray()
    }

    mutating func field(_ name: String, _ value: [String: String]?) {
        guard let value else { return }
        key(name)
        beginObject()
        for (k, v) in value {
            key(k)
            string(v)
        }
        endObject()
    }

    mutating func field<T>(_ name: String, _ value: T?, _ write: (inout JSONWriter, T) -> Void) {
        guard let value else { return }
        key(name)
        write(&self, value)
    }

    mutating func field<T>(_ name: String, _ value: [T]?, each write: (inout JSONWriter, T) -> Void) {
        guard let value else { return }
        key(name)
        beginArray()
        for item in value { write(&self, item) }
        endArray()
    }
}
