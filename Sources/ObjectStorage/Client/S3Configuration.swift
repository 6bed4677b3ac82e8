import Foundation

/// Where and how the client talks to S3 or an S3-compatible store (MinIO, Ceph, moto).
///
/// ```swift
/// var configuration = S3Configuration(region: "us-west-2")
/// configuration.endpoint = "http://127.0.0.1:9000"   // MinIO; path-style is then chosen automatically
/// ```
public struct S3Configuration: Sendable, Hashable {
    /// How the bucket appears in the URL.
    public enum Addressing: String, Sendable, Hashable, Codable {
        /// Virtual-hosted on AWS when the bucket name allows it; path-style with a custom endpoint.
        case auto
        /// `https://bucket.s3.region.amazonaws.com/key` (or `bucket.<endpoint host>`).
        case virtualHosted
        /// `https://endpoint/bucket/key`, which S3-compatible stores expect.
        case path
    }

    /// The signing region; default `us-west-2`, the region BPG hard-codes.
    public var region: String
    /// A custom endpoint such as `http://127.0.0.1:9000`; nil for AWS (`https://s3.<region>.amazonaws.com`).
    public var endpoint: String?
    public var addressing: Addressing = .auto
    /// Objects up to this size go in one `PutObject`; larger ones in parts of this size. Every part is
    /// read into memory before it is sent, so this bounds an upload's memory. Minimum 5 MiB (S3's
    /// smallest part); default 8 MiB.
    public var partSize: Int = 8 << 20
    /// How many parts are sent at once; default 2 (memory is `partSize × (partConcurrency + 1)`).
    public var partConcurrency: Int = 2
    /// Sign the SHA-256 of each body rather than `UNSIGNED-PAYLOAD`. Default false: TLS already
    /// protects the body, and hashing every byte costs CPU on the upload path. Plain-HTTP endpoints
    /// should turn it on.
    public var signPayload = false
    public var connectTimeout: Duration = .seconds(10)
    /// A transfer that moves no byte for this long fails. Default 180 s, BPG's S3 timeout.
    public var idleTimeout: Duration = .seconds(180)
    /// A CA bundle for a private endpoint's certificate; nil for the system store.
    public var caFile: String?

    public init(region: String = "us-west-2", endpoint: String? = nil) {
        self.region = region
        self.endpoint = endpoint
    }

    /// The smallest part S3 accepts (but the last).
    public static let minimumPartSize = 5 << 20
}
