import Foundation
import GatewayCore
import HTTPServing
import ObjectStorage

/// BPG's artifact upload (`POST <root>/s3/{name}`): where an uploaded application file goes in
/// `s3Bucket`, and the upload itself. See docs/object-storage.md for the key layout.
struct ArtifactUploads: Sendable {
    enum Problem: Error, Equatable {
        /// Neither `s3Bucket` nor the upload route is usable (no bucket, or a `gs://` bucket).
        case notConfigured(String)
        /// Bad input, with a message naming the field.
        case invalid(String)
        case tooLarge(limit: Int)
    }

    let bucket: String
    let folder: String?
    let maxBytes: Int
    let client: S3Client?
    let now: @Sendable () -> Date
    let uuid: @Sendable () -> String

    init(
        configuration: GatewayConfiguration, client: S3Client?, now: @escaping @Sendable () -> Date = { Date() },
        uuid: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        bucket = configuration.s3Bucket ?? ""
        folder = configuration.s3Folder
        maxBytes = configuration.gateway.objectStorage.maxUploadBytes
        self.client = client
        self.now = now
        self.uuid = uuid
    }

    /// The object key for `name`: `<s3Folder>/<yyyyMMdd UTC>/<uuid>/<name>`, or with `folder`
    /// `<s3Folder>/<folder without outer slashes>/<name>` (BPG's layout; an unset `s3Folder` gives
    /// no prefix where BPG wrote `null`).
    func key(name: String, folder requested: String?) throws(Problem) -> String {
        try Self.validate(name: name)
        var parts: [String] = []
        if let folder, !folder.isEmpty { parts.append(Self.trimSlashes(folder)) }
        if let requested, !requested.isEmpty {
            let trimmed = Self.trimSlashes(requested)
            try Self.validate(folder: trimmed)
            if !trimmed.isEmpty { parts.append(trimmed) }
        } else {
            parts.append(Self.day(now()))
            parts.append(uuid())
        }
        parts.append(name)
        let key = parts.filter { !$0.isEmpty }.joined(separator: "/")
        guard key.utf8.count <= 1024 else { throw .invalid("Invalid name: the object key would be longer than 1024 bytes") }
        return key
    }

    /// Uploads the request body, read while it arrives, to `key` and returns BPG's
    /// `s3a://bucket/key` URL. The body must be exactly `length` bytes: a body that ends early, runs
    /// long or breaks off fails the upload (a multipart upload is aborted, a single `PutObject` is
    /// cut short) and nothing is stored.
    func upload(_ body: HTTPRequestBody, length: Int, key: String, user: String) async throws -> String {
        guard let client, !bucket.isEmpty else { throw Problem.notConfigured("S3 upload is not configured: s3Bucket is empty") }
        var source = UploadBodySource(body: body, length: length)
        do {
            let result = try await client.putObject(bucket: bucket, key: key, from: &source, maxSize: maxBytes)
            return "s3a://\(result.bucket)/\(result.key)"
        } catch {
            // The body's own failure (400, 413, client gone) explains more than S3's "aborted".
            if let failure = source.failure { throw failure }
            throw error
        }
    }

    /// Fails early when uploads cannot work at all.
    func checkConfigured() throws(Problem) {
        if bucket.isEmpty { throw .notConfigured("S3 upload is not configured: s3Bucket is empty") }
        if bucket.lowercased().hasPrefix("gs://") { throw .notConfigured("Google Cloud Storage buckets (gs://) are not supported") }
    }

    static func validate(name: String) throws(Problem) {
        guard !name.isEmpty, name != ".", name != ".." else { throw .invalid("Invalid name: the file name is empty or a dot path") }
        guard !name.contains("/"), !name.contains("\\") else { throw .invalid("Invalid name \(name): it must not contain a slash") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid("Invalid name: it contains control characters")
        }
    }

    static func validate(folder: String) throws(Problem) {
        let segments = folder.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) || folder.isEmpty else {
            throw .invalid("Invalid folder \(folder): it must not contain empty, '.' or '..' segments")
        }
        guard !folder.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalid("Invalid folder: it contains control characters")
        }
    }

    static func trimSlashes(_ text: String) -> String {
        var value = Substring(text)
        while value.hasPrefix("/") { value = value.dropFirst() }
        while value.hasSuffix("/") { value = value.dropLast() }
        return String(value)
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}

/// The upload's request body as an `ObjectSource` of a declared length.
///
/// `knownLength` lets the client send a large upload as one streamed `PutObject`. The last bytes are
/// only handed over once the body's end is confirmed, so a body longer than declared fails before
/// S3 completes the object.
struct UploadBodySource: ObjectSource {
    private var iterator: HTTPRequestBody.AsyncIterator
    private var pending = Data()
    private var received = 0
    private var ended = false
    let knownLength: Int?
    /// Why reading the body failed, for the answer to the client.
    private(set) var failure: (any Error)?

    init(body: HTTPRequestBody, length: Int) {
        iterator = body.makeAsyncIterator()
        knownLength = length
    }

    mutating func read(maxLength: Int) async throws -> Data {
        do {
            return try await take(maxLength)
        } catch {
            failure = failure ?? error
            throw error
        }
    }

    private mutating func take(_ maxLength: Int) async throws -> Data {
        let length = knownLength ?? 0
        if pending.isEmpty, !ended {
            if let chunk = try await iterator.next() {
                received += chunk.count
                pending = chunk
            } else {
                ended = true
            }
            if received > length {
                throw HTTPError(400, "content-length \(length) does not match the body: more bytes arrived")
            }
            if received == length, !ended {
                // All declared bytes are in: the body must end here.
                if try await iterator.next() != nil {
                    throw HTTPError(400, "content-length \(length) does not match the body: more bytes arrived")
                }
                ended = true
            }
        }
        if pending.isEmpty {
            if received < length {
                throw HTTPError(400, "content-length \(length) does not match the \(received) bytes of the body")
            }
            return Data()
        }
        let count = min(maxLength, pending.count)
        let piece = pending.prefix(count)
        pending = pending.dropFirst(count)
        if pending.isEmpty { pending = Data() }
        return Data(piece)
    }
}
