extension JSONValue {
    /// The JSON text of this value, as UTF-8.
    public func jsonBytes(_ format: JSONFormat = .compact) -> [UInt8] {
        if !format.prettyPrinted {
            var writer = JSONWriter(capacity: 256)
            writer.value(self, sortedKeys: format.sortedKeys)
            return writer.bytes
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        writePretty(to: &bytes, indent: 0, sortedKeys: format.sortedKeys)
        return bytes
    }

    /// The JSON text of this value.
    public func jsonString(_ format: JSONFormat = .compact) -> String {
        String(decoding: jsonBytes(format), as: UTF8.self)
    }

    private func writePretty(to bytes: inout [UInt8], indent: Int, sortedKeys: Bool) {
        func newline(_ level: Int) {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
        }
        switch self {
        case .array(let elements) where !elements.isEmpty:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                element.writePretty(to: &bytes, indent: indent + 1, sortedKeys: sortedKeys)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in (sortedKeys ? object.sortedByKey() : object).members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                JSONWriter.appendString(member.key, to: &bytes)
                bytes.append(contentsOf: " : ".utf8)
                member.value.writePretty(to: &bytes, indent: indent + 1, sortedKeys: sortedKeys)
            }
            newline(indent)
            bytes.append(UInt8(ascii: "}"))
        default:
            var writer = JSONWriter(capacity: 16)
            writer.value(self)
            bytes.append(contentsOf: writer.bytes)
        }
    }
}
