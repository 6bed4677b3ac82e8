import Foundation

/// AWS Signature Version 4 for one request: a pure function of the request, the credentials, the
/// region, the service and the time, so it is tested against AWS's published examples.
///
/// Signed by hand rather than with libcurl's `CURLOPT_AWS_SIGV4` because libcurl 7.88 signs only
/// in-memory bodies (not a streamed upload), does not add `x-amz-security-token` for temporary
/// credentials, and cannot be checked without a server. Every header passed is signed.
struct SignatureV4: Sendable {
    var region: String
    var service: String

    /// The `Authorization` header value for a request whose `headers` already include `host`,
    /// `x-amz-date` (matching `date`) and whatever else must be signed (for S3
    /// `x-amz-content-sha256`, and `x-amz-security-token` for temporary credentials).
    ///
    /// - Parameters:
    ///   - path: the URI path exactly as sent (already percent-encoded).
    ///   - query: decoded query parameters; encoded here as AWS requires.
    func authorization(
        method: String, path: String, query: [(String, String)], headers: [(String, String)],
        payloadHash: String, credentials: AWSCredentials, date: Date
    ) -> String {
        let (amzDate, day) = Self.timestamps(date)
        let normalized = headers
            .map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
            .sorted { $0.0 < $1.0 }
        let signedHeaders = normalized.map(\.0).joined(separator: ";")
        let encodedQuery: [(String, String)] = query.map { (S3Path.encode($0.0, keepSlash: false), S3Path.encode($0.1, keepSlash: false)) }
        let sortedQuery = encodedQuery.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery = sortedQuery.map { $0.0 + "=" + $0.1 }.joined(separator: "&")
        let canonicalPath: String = path.isEmpty ? "/" : path
        var canonicalHeaders = ""
        for (name, value) in normalized { canonicalHeaders += name + ":" + value + "\n" }
        let lines: [String] = [method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash]
        let canonicalRequest = lines.joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Digest.hex(Digest.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = Digest.hmacSHA256(key: Array("AWS4\(credentials.secretAccessKey)".utf8), day)
        key = Digest.hmacSHA256(key: key, region)
        key = Digest.hmacSHA256(key: key, service)
        key = Digest.hmacSHA256(key: key, "aws4_request")
        let signature = Digest.hex(Digest.hmacSHA256(key: key, stringToSign))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` and `yyyyMMdd` in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let day = "\(c.year ?? 1970)\(two(c.month))\(two(c.day))"
        return ("\(day)T\(two(c.hour))\(two(c.minute))\(two(c.second))Z", day)
    }
}

/// Percent-encoding of S3 keys and query values, the same for the URL sent and the canonical request.
enum S3Path {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    /// Encodes every byte but the unreserved ones (and `/` when `keepSlash`), as AWS specifies.
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
