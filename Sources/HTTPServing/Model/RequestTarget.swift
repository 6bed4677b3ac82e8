/// The path and query of a request target (`/a%20b?x=1&y=two+words`), percent-decoded.
struct RequestTarget: Equatable {
    var path: String
    var query: [(name: String, value: String)]

    static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.path == rhs.path && lhs.query.elementsEqual(rhs.query, by: { $0 == $1 })
    }

    /// Parses a target in origin form; an absolute-form target (`http://host/path`) keeps only its
    /// path. Returns `nil` for invalid percent-encoding or invalid UTF-8 after decoding.
    init?(_ target: String) {
        var raw = Substring(target)
        if let fragment = raw.firstIndex(of: "#") {
            raw = raw[..<fragment]
        }
        if !raw.hasPrefix("/"), let scheme = raw.range(of: "://") {
            let afterAuthority = raw[scheme.upperBound...]
            raw = afterAuthority.firstIndex(of: "/").map { afterAuthority[$0...] } ?? "/"
        }
        let rawPath: Substring
        let rawQuery: Substring?
        if let mark = raw.firstIndex(of: "?") {
            rawPath = raw[..<mark]
            rawQuery = raw[raw.index(after: mark)...]
        } else {
            rawPath = raw
            rawQuery = nil
        }
        guard let path = Self.percentDecode(rawPath, plusIsSpace: false) else { return nil }
        self.path = path.isEmpty ? "/" : path
        self.query = []
        guard let rawQuery, !rawQuery.isEmpty else { return }
        for pair in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            guard let decodedName = Self.percentDecode(name, plusIsSpace: true),
                let decodedValue = Self.percentDecode(value, plusIsSpace: true)
            else { return nil }
            query.append((name: decodedName, value: decodedValue))
        }
    }

    /// Decodes `%XX` escapes (and `+` in queries, as HTML forms and most clients encode spaces).
    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String? {
        let utf8 = text.utf8
        guard utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex else { return nil }
                let second = utf8.index(after: first)
                guard second < utf8.endIndex, let high = hexValue(utf8[first]), let low = hexValue(utf8[second])
                else { return nil }
                bytes.append(high << 4 | low)
                index = utf8.index(after: second)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
