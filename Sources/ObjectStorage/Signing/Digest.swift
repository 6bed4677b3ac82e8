internal import CCrypto
import Foundation

/// SHA-256 and HMAC-SHA-256 over libcrypto, the two primitives Signature Version 4 needs.
enum Digest {
    /// The SHA-256 digest of `bytes`.
    static func sha256(_ bytes: some ContiguousBytes) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                EVP_Digest(input.baseAddress, input.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest only fails on allocation failure; a wrong signature would then be a clear
        // SignatureDoesNotMatch from the server rather than silent corruption.
        precondition(ok == 1, "EVP_Digest(sha256) failed")
        return output
    }

    /// HMAC-SHA-256 of `message` under `key`.
    static func hmacSHA256(key: [UInt8], _ message: String) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let data = Array(message.utf8)
        key.withUnsafeBytes { k in
            data.withUnsafeBytes { m in
                output.withUnsafeMutableBytes { out in
                    _ = HMAC(
                        EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count,
                        out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
                }
            }
        }
        return output
    }

    /// Lower-case hexadecimal.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hex SHA-256 of the empty payload.
    static let emptyPayloadHash = hex(sha256(Data()))
}
