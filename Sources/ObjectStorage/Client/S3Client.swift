import Foundation
import HTTPClient

/// An S3 client over libcurl: Signature V4, virtual-hosted or path-style addressing, streamed
/// uploads (multipart above `partSize`, aborted on failure) and streamed downloads.
///
/// ```swift
/// let client = S3Client(configuration: S3Configuration(region: "us-west-2"),
///                       credentials: CredentialsChain(environment: environment, region: "us-west-2"))
/// var file = try FileSource(path: "app.py")
/// let result = try await client.putObject(bucket: "bpg", key: "uploaded/app.py", from: &file)
/// for try await chunk in try await client.getObject(bucket: "bpg", key: "uploaded/app.py") { … }
/// ```
public final class S3Client: Sendable {
    public let configuration: S3Configuration
    let credentials: any AWSCredentialsProviding
    let transport: CurlTransport
    private let signer: SignatureV4
    let now: @Sendable () -> Date

    public init(
        configuration: S3Configuration, credentials: any AWSCredentialsProviding,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        var configuration = configuration
        configuration.partSize = max(configuration.partSize, S3Configuration.minimumPartSize)
        configuration.partConcurrency = max(1, configuration.partConcurrency)
        self.configuration = configuration
        self.credentials = credentials
        self.transport = CurlTransport(
            settings: .init(
                connectTimeout: configuration.connectTimeout, idleTimeout: configuration.idleTimeout, caFile: configuration.caFile))
        self.signer = SignatureV4(region: configuration.region, service: "s3")
        self.now = now
    }

    /// What an upload produced.
    public struct UploadResult: Sendable, Hashable {
        public var bucket: String
        public var key: String
        public var size: Int
        /// The object's ETag as S3 returned it (quoted).
        public var eTag: String?
        /// 0 for a single `PutObject`, else the number of parts.
        public var parts: Int
    }

    // MARK: Addressing

    struct Target {
        var url: String
        var host: String
        var path: String
    }

    /// The URL, `Host` value and encoded path for `bucket`/`key` with `query` (decoded pairs).
    func target(bucket: String, key: String?, query: [(String, String)]) throws(ObjectStorageError) -> Target {
        guard !bucket.isEmpty else { throw .invalidArgument("the bucket name is empty") }
        let base = configuration.endpoint ?? "https://s3.\(configuration.region).amazonaws.com"
        guard let components = URLComponents(string: base), let scheme = components.scheme, var host = components.host else {
            throw .invalidArgument("the endpoint \(base) is not a URL")
        }
        if let port = components.port { host += ":\(port)" }
        let basePath = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        let encodedKey = key.map { "/" + S3Path.encode($0, keepSlash: true) } ?? "/"
        let virtual: Bool
        switch configuration.addressing {
        case .virtualHosted: virtual = true
        case .path: virtual = false
        case .auto: virtual = configuration.endpoint == nil && Self.isDNSCompatible(bucket)
        }
        let path: String
        if virtual {
            host = "\(bucket).\(host)"
            path = basePath + encodedKey
        } else {
            path = basePath + "/" + S3Path.encode(bucket, keepSlash: false) + (key == nil ? "" : encodedKey)
        }
        let queryString = query.map { $0.1.isEmpty && $0.0 == "uploads" ? "uploads" : "\(S3Path.encode($0.0, keepSlash: false))=\(S3Path.encode($0.1, keepSlash: false))" }
            .joined(separator: "&")
        return Target(url: "\(scheme)://\(host)\(path)\(queryString.isEmpty ? "" : "?" + queryString)", host: host, path: path)
    }

    /// Lower-case letters, digits, hyphens, 3–63 characters, no dots (a dotted name breaks TLS for
    /// virtual-hosted URLs).
    static func isDNSCompatible(_ bucket: String) -> Bool {
        (3...63).contains(bucket.count) && bucket.allSatisfy { $0.isLowercase && $0.isASCII || $0.isNumber || $0 == "-" }
            && bucket.first != "-" && bucket.last != "-"
    }

    // MARK: Sending

    /// Signs and sends one request; a non-2xx answer becomes the S3 error it carries.
    func send(
        _ method: String, bucket: String, key: String?, query: [(String, String)] = [], headers: [(String, String)] = [],
        body: Data? = nil, stream: UploadStream? = nil, totalTimeout: Duration? = .seconds(180),
        streamingTo sink: (@Sendable (Int, [String: String], Data) -> Bool)? = nil
    ) async throws(ObjectStorageError) -> HTTPExchangeResponse {
        let target = try target(bucket: bucket, key: key, query: query)
        let credentials = try await credentials.credentials()
        let payloadHash: String =
            if stream != nil { "UNSIGNED-PAYLOAD" }
            else if let body, configuration.signPayload { Digest.hex(Digest.sha256(body)) }
            else if body == nil || body?.isEmpty == true { Digest.emptyPayloadHash }
            else { "UNSIGNED-PAYLOAD" }
        let date = now()
        var signed: [(String, String)] = [
            ("host", target.host), ("x-amz-date", SignatureV4.timestamps(date).amzDate), ("x-amz-content-sha256", payloadHash),
        ]
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        let authorization = signer.authorization(
            method: method, path: target.path, query: query, headers: signed, payloadHash: payloadHash,
            credentials: credentials, date: date)
        let request = HTTPExchangeRequest(
            method: method, url: target.url,
            headers: signed.filter { $0.0 != "host" } + headers + [("Authorization", authorization)],
            body: body, stream: stream, totalTimeout: totalTimeout)
        let response: HTTPExchangeResponse
        do {
            response =
                if let sink { try await transport.perform(request, streamingTo: sink) }
                else { try await transport.perform(request) }
        } catch {
            throw ObjectStorageError(error)
        }
        guard (200..<300).contains(response.status) else {
            throw ObjectStorageError.fromResponse(status: response.status, body: response.body)
        }
        return response
    }

    // MARK: Small operations

    /// Creates `bucket` (in the configured region).
    public func createBucket(_ bucket: String) async throws(ObjectStorageError) {
        let body: Data? =
            configuration.region == "us-east-1" ? nil
            : Data(("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + XMLText.escape(configuration.region) + "</LocationConstraint></CreateBucketConfiguration>").utf8)
        _ = try await send("PUT", bucket: bucket, key: nil, headers: [("Content-Type", "application/xml")], body: body)
    }

    /// The object's size and ETag, or nil when it does not exist.
    public func headObject(bucket: String, key: String) async throws(ObjectStorageError) -> (size: Int, eTag: String?)? {
        do {
            let response = try await send("HEAD", bucket: bucket, key: key)
            return (Int(response.headers["content-length"] ?? "") ?? 0, response.headers["etag"])
        } catch where error.isNotFound {
            return nil
        }
    }

    /// Deletes the object (no error when it is already gone, as S3 does).
    public func deleteObject(bucket: String, key: String) async throws(ObjectStorageError) {
        _ = try await send("DELETE", bucket: bucket, key: key)
    }

    /// The upload ids of multipart uploads in progress under `prefix`: after a failed upload there
    /// should be none (no orphaned parts).
    public func listMultipartUploads(bucket: String, prefix: String = "") async throws(ObjectStorageError) -> [(key: String, uploadId: String)] {
        let response = try await send("GET", bucket: bucket, key: nil, query: [("prefix", prefix), ("uploads", "")])
        let xml = String(decoding: response.body, as: UTF8.self)
        return XMLText.all("Upload", in: xml).compactMap { upload in
            guard let key = XMLText.first("Key", in: upload), let id = XMLText.first("UploadId", in: upload) else { return nil }
            return (key, id)
        }
    }
}
