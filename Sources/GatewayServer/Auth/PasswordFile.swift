import Cryptography

/// htpasswd files, verified with libcrypt's `crypt_r` (bcrypt, sha512-crypt, yescrypt).
enum PasswordFile {
    static func load(path: String) throws -> [String: String] {
        let file = try HtpasswdFile(contentsOf: path)
        return Dictionary(file.entries.map { ($0.user, $0.hash) }, uniquingKeysWith: { first, _ in first })
    }

    static func verify(_ password: String, hash: String) -> Bool {
        PasswordHash.verify(password, hash: hash)
    }
}
