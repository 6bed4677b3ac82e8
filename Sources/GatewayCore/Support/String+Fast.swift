// Small byte-level string helpers for the submission path: Foundation's `caseInsensitiveCompare`,
// `trimmingCharacters` and `replacingOccurrences` bridge through NSString on Linux and dominated the
// planning cost.
extension StringProtocol {
    /// Equal ignoring ASCII case (names, versions and types are ASCII in practice; other characters
    /// must match exactly).
    func equalsIgnoringCase(_ other: some StringProtocol) -> Bool {
        var a = utf8.makeIterator()
        var b = other.utf8.makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return true
            case (let x?, let y?):
                if x == y { continue }
                let lx = x >= 65 && x <= 90 ? x + 32 : x
                let ly = y >= 65 && y <= 90 ? y + 32 : y
                if lx != ly { return false }
            default: return false
            }
        }
    }

    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let first = s.utf8.first, first == 32 || first == 9 { s = s.dropFirst() }
        while let last = s.utf8.last, last == 32 || last == 9 { s = s.dropLast() }
        return s
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8)
        let needle = Array(target.utf8)
        guard !needle.isEmpty, source.count >= needle.count else { return self }
        var out: [UInt8] = []
        var i = 0
        var replaced = false
        while i < source.count {
            if source[i] == needle[0], i + needle.count <= source.count, Array(source[i..<i + needle.count]) == needle {
                out.append(contentsOf: replacement.utf8)
                i += needle.count
                replaced = true
            } else {
                out.append(source[i])
                i += 1
            }
        }
        return replaced ? String(decoding: out, as: UTF8.self) : self
    }
}
