import Foundation
internal import CCrypt

/// Verifies passwords against crypt(3) hashes with libxcrypt's `crypt_r`.
///
/// Accepted schemes: bcrypt (`$2b$`, `$2y$`, `$2a$`), yescrypt (`$y$`), sha512-crypt (`$6$`) and
/// sha256-crypt (`$5$`). Everything else is refused with a reason (`PasswordHash.scheme(of:)`):
/// Apache's `$apr1$` MD5 and `{SHA}` are fast, weak digests that libxcrypt does not even implement,
/// and plain-text entries would put the password itself in a file.
///
/// Hashing is deliberately slow (bcrypt cost 10 ≈ 50–100 ms): call `verify` off Swift's
/// cooperative thread pool and off I/O threads: a server uses a `PasswordHashingPool`, whose bounded
/// queue also caps the work a flood of guesses can cause.
public enum PasswordHash {
    /// A supported hashing scheme.
    public enum Scheme: String, Sendable {
        case bcrypt
        case yescrypt
        case sha512Crypt = "sha512-crypt"
        case sha256Crypt = "sha256-crypt"
    }

    /// Why a hash string cannot be used.
    public struct UnsupportedHash: Error, CustomStringConvertible, Sendable {
        /// The reason, naming the scheme that was found.
        public let reason: String
        public var description: String { reason }
    }

    /// The scheme of a hash string, or why it is refused.
    public static func scheme(of hash: String) throws(UnsupportedHash) -> Scheme {
        if hash.isEmpty { throw UnsupportedHash(reason: "the hash is empty") }
        if hash.hasPrefix("$2b$") || hash.hasPrefix("$2y$") || hash.hasPrefix("$2a$") { return .bcrypt }
        if hash.hasPrefix("$y$") { return .yescrypt }
        if hash.hasPrefix("$6$") { return .sha512Crypt }
        if hash.hasPrefix("$5$") { return .sha256Crypt }
        if hash.hasPrefix("$apr1$") || hash.hasPrefix("$1$") {
            throw UnsupportedHash(
                reason: "MD5-based hashes ($apr1$, $1$) are not supported: they are fast to brute-force; "
                    + "re-create the entry with `htpasswd -B` (bcrypt)")
        }
        if hash.hasPrefix("{SHA}") {
            throw UnsupportedHash(reason: "unsalted {SHA} hashes are not supported; re-create the entry with `htpasswd -B` (bcrypt)")
        }
        if hash.hasPrefix("$") {
            throw UnsupportedHash(reason: "unknown hash scheme $\(hash.dropFirst().prefix { $0 != "$" })$")
        }
        throw UnsupportedHash(
            reason: "plain-text or DES-crypt passwords are not supported; re-create the entry with `htpasswd -B` (bcrypt)")
    }

    /// Whether `password` matches `hash`. False for unsupported or malformed hashes, for passwords
    /// containing NUL, and whenever `crypt_r` fails (its `*0`/`*1` failure tokens never match).
    public static func verify(_ password: String, hash: String) -> Bool {
        guard (try? scheme(of: hash)) != nil, !password.utf8.contains(0), !hash.utf8.contains(0) else { return false }
        guard let computed = crypt(password, setting: hash), !computed.hasPrefix("*") else { return false }
        return constantTimeEquals(computed.utf8, hash.utf8)
    }

    /// `verify` on a dispatch queue, so a slow hash never occupies a cooperative-pool thread.
    public static func verifyDetached(_ password: String, hash: String) async -> Bool {
        await detached { verify(password, hash: hash) }
    }

    /// Runs CPU-heavy hashing work on a dedicated concurrent queue and resumes with its result.
    static func detached(_ work: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    private static let queue = DispatchQueue(label: "bpg.password-hash", qos: .userInitiated, attributes: .concurrent)

    /// `crypt_r` with its 32 KiB `struct crypt_data` on the heap, zeroed as libxcrypt requires.
    static func crypt(_ password: String, setting: String) -> String? {
        guard let data = calloc(1, MemoryLayout<crypt_data>.size)?.assumingMemoryBound(to: crypt_data.self) else {
            return nil
        }
        defer {
            // The work area held the password: wipe it before freeing.
            memset(data, 0, MemoryLayout<crypt_data>.size)
            free(data)
        }
        guard let output = crypt_r(password, setting, data) else { return nil }
        return String(cString: output)
    }
}
