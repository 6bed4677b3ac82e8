/// Checks a request's header fields before its body is accepted, so that the server never reads
/// the message boundaries differently from a proxy in front of it (request smuggling) and never
/// silently picks one of two values a proxy or an authenticator may have read the other way.
///
/// libmicrohttpd is lenient in places (it takes the first of two `Content-Length`s, ignores a
/// `Transfer-Encoding` it does not understand, keeps names with spaces); every such request is
/// refused here with a 400 and the connection is closed, since its framing cannot be trusted.
enum RequestHeadValidator {
    /// One header field as received, bytes and all (a NUL is not cut off).
    struct Field {
        var name: [UInt8]
        var value: [UInt8]
    }

    /// Headers that must appear at most once: framing, routing, and the ones an authenticator, a
    /// content decoder or the idempotency layer reads (two values would let two readers disagree).
    static let singletons: Set<String> = [
        "content-length", "transfer-encoding", "host", "authorization", "content-type", "user-account",
        "idempotency-key",
    ]

    /// Returns why the head is refused, or nil when it is acceptable.
    static func problem(fields: [Field], version: String) -> String? {
        var seen: [String: Int] = [:]
        for field in fields {
            guard !field.name.isEmpty, field.name.allSatisfy(isTokenCharacter) else {
                return "invalid header field name"
            }
            let name = String(decoding: field.name, as: UTF8.self).lowercased()
            // NUL, CR and LF cannot appear in a field value; a server that cuts the value at the
            // NUL or treats a lone CR as a line end would disagree with one that does not.
            if field.value.contains(where: { $0 == 0 || $0 == 0x0D || $0 == 0x0A }) {
                return "invalid character in the \(name) header"
            }
            seen[name, default: 0] += 1
        }
        for name in singletons.sorted() where (seen[name] ?? 0) > 1 {
            return "duplicate \(name) header"
        }
        let transferEncoding = value("transfer-encoding", in: fields)
        let contentLength = value("content-length", in: fields)
        if let transferEncoding {
            if contentLength != nil { return "both content-length and transfer-encoding" }
            if version != "HTTP/1.1" { return "transfer-encoding is only allowed from version 1.1 on" }
            // Only `chunked` alone: any other coding (or list) would leave the body length to
            // the reader's interpretation.
            guard trimmed(transferEncoding).lowercased() == "chunked" else {
                return "unsupported transfer-encoding"
            }
        }
        if let contentLength {
            let digits = trimmed(contentLength)
            guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return "invalid content-length"
            }
        }
        return nil
    }

    /// The value of `Content-Length` once `problem` found nothing wrong.
    static func contentLength(fields: [Field]) -> Int? {
        value("content-length", in: fields).flatMap { Int(trimmed($0)) }
    }

    private static func value(_ name: String, in fields: [Field]) -> String? {
        fields.first { String(decoding: $0.name, as: UTF8.self).lowercased() == name }
            .map { String(decoding: $0.value, as: UTF8.self) }
    }

    private static func trimmed(_ value: String) -> String {
        String(value.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    /// `tchar` of the HTTP grammar: the characters a field name may contain.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default: false
        }
    }
}
