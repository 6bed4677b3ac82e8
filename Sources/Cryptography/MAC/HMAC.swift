import Foundation
internal import CCrypto

/// HMAC (RFC 2104) over libcrypto's one-shot `HMAC()`.
///
///     let tag = HMAC.sha256(key: Data("secret".utf8), message: Data("payload".utf8))
public enum HMAC {
    /// HMAC-SHA256: a 32-byte tag.
    public static func sha256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> Data {
        authenticate(EVP_sha256(), name: "EVP_sha256", key: key, message: message)
    }

    /// HMAC-SHA384: a 48-byte tag.
    public static func sha384(key: some Collection<UInt8>, message: some Collection<UInt8>) -> Data {
        authenticate(EVP_sha384(), name: "EVP_sha384", key: key, message: message)
    }

    /// HMAC-SHA512: a 64-byte tag.
    public static func sha512(key: some Collection<UInt8>, message: some Collection<UInt8>) -> Data {
        authenticate(EVP_sha512(), name: "EVP_sha512", key: key, message: message)
    }

    private static func authenticate(
        _ digest: OpaquePointer?, name: String, key: some Collection<UInt8>, message: some Collection<UInt8>
    ) -> Data {
        withContiguousBytes(of: key) { key in
            withContiguousBytes(of: message) { message in
                // libcrypto takes the key length as an int; keys longer than that are hashed by the
                // caller's protocol long before this point (HMAC hashes keys over one block anyway).
                precondition(key.count <= Int(Int32.max), "HMAC key longer than 2 GiB")
                var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
                var length: UInt32 = 0
                // A non-null pointer even for empty input: OpenSSL treats a null key as "no key".
                let placeholder: UInt8 = 0
                let result = withUnsafePointer(to: placeholder) { empty in
                    CCrypto.HMAC(
                        digest, key.baseAddress ?? UnsafeRawPointer(empty), Int32(key.count),
                        message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty, message.count,
                        &output, &length)
                }
                // HMAC() fails only when libcrypto cannot allocate its context: not a condition a caller
                // can handle, and returning a wrong tag would be worse.
                guard result != nil else { fatalError("HMAC(\(name)) failed: libcrypto could not allocate") }
                return Data(output.prefix(Int(length)))
            }
        }
    }
}

/// Runs `body` over the bytes of a collection, copying only when it is not contiguous.
func withContiguousBytes<Result>(
    of bytes: some Collection<UInt8>, _ body: (UnsafeRawBufferPointer) -> Result
) -> Result {
    if let result = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return Array(bytes).withUnsafeBytes(body)
}
