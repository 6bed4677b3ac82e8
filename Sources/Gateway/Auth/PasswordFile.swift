import Cryptography

/// An htpasswd file's hashes, verified with libcrypt's `crypt_r` (bcrypt, sha512-crypt, yescrypt).
struct PasswordFile: Sendable {
    /// User name → crypt(3) hash.
    var hashes: [String: String]
    /// What an unknown user's password is checked against (``HtpasswdFile/decoyHash``).
    var decoyHash: String?

    static func load(path: String) throws -> PasswordFile {
        let file = try HtpasswdFile(contentsOf: path)
        return PasswordFile(
            hashes: Dictionary(file.entries.map { ($0.user, $0.hash) }, uniquingKeysWith: { first, _ in first }),
            decoyHash: file.decoyHash)
    }
}
