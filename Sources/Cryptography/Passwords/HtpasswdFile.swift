import Foundation

/// An Apache-style htpasswd file: one `user:hash` per line (an optional `:comment` after the hash is
/// ignored), `#` comments and blank lines ignored, LF or CRLF line ends.
///
/// Every hash must use a scheme `PasswordHash` supports; a file with plain-text, MD5 (`$apr1$`) or
/// `{SHA}` entries is refused at load time, naming the line, so weak entries are found when the
/// gateway starts rather than when someone tries to log in.
///
///     let file = try HtpasswdFile(contents: "alice:$2y$10$...\n")
///     file.verify(user: "alice", password: "secret")
public struct HtpasswdFile: Sendable {
    /// Why a file could not be loaded.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// 1-based line number, or 0 when the file could not be read.
        public let line: Int
        /// What is wrong with that line.
        public let message: String
        /// `line 3: …`.
        public var description: String { line > 0 ? "line \(line): \(message)" : message }
    }

    /// One user entry.
    public struct Entry: Sendable {
        /// The user name.
        public let user: String
        /// The crypt(3) hash.
        public let hash: String
        /// Its scheme.
        public let scheme: PasswordHash.Scheme
        /// The 1-based line the entry came from.
        public let line: Int
    }

    /// Entries in file order.
    public let entries: [Entry]
    private let index: [String: Int]

    /// Parses file contents.
    public init(contents: String) throws(ParseError) {
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for (offset, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = offset + 1
            // `\r\n` is one Character, so splitting on `isNewline` handles CRLF files too.
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ParseError(line: number, message: "expected user:hash, found no colon")
            }
            let user = String(line[..<colon])
            // Like Apache's mod_authn_file, anything after a second colon is ignored (crypt hashes
            // never contain one).
            let hash = String(line[line.index(after: colon)...].prefix { $0 != ":" })
            guard !user.isEmpty else { throw ParseError(line: number, message: "the user name is empty") }
            let scheme: PasswordHash.Scheme
            do {
                scheme = try PasswordHash.scheme(of: hash)
            } catch {
                throw ParseError(line: number, message: "user \"\(user)\": \(error.reason)")
            }
            if let first = index[user] {
                throw ParseError(
                    line: number, message: "user \"\(user)\" is listed twice (first on line \(entries[first].line))")
            }
            index[user] = entries.count
            entries.append(Entry(user: user, hash: hash, scheme: scheme, line: number))
        }
        self.entries = entries
        self.index = index
    }

    /// Reads and parses a file.
    public init(contentsOf path: String) throws(ParseError) {
        let contents: String
        do {
            contents = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ParseError(line: 0, message: "cannot read htpasswd file \(path): \(error.localizedDescription)")
        }
        try self.init(contents: contents)
    }

    /// The user names, in file order.
    public var users: [String] { entries.map(\.user) }

    /// The hash of a user, if listed.
    public func hash(for user: String) -> String? {
        index[user].map { entries[$0].hash }
    }

    /// Whether the user is listed and the password matches. For an unknown user a hash is still
    /// computed (against ``decoyHash``) so response time does not reveal which users exist.
    public func verify(user: String, password: String) -> Bool {
        guard let position = index[user] else {
            if let decoyHash { _ = PasswordHash.verify(password, hash: decoyHash) }
            return false
        }
        return PasswordHash.verify(password, hash: entries[position].hash)
    }

    /// A hash to verify against when the user is unknown, so that answering "no such user" costs as
    /// much as "wrong password": an entry with the file's most common scheme and cost (bcrypt cost,
    /// sha-crypt rounds, yescrypt parameters), the earliest such entry on a tie. Nil for an empty file.
    ///
    /// A real entry is used rather than a made-up one because it has exactly the cost an attacker
    /// would compare against; its result is always discarded.
    public var decoyHash: String? {
        var counts: [String: Int] = [:]
        for entry in entries { counts[Self.costParameters(of: entry.hash), default: 0] += 1 }
        guard let typical = counts.max(by: { $0.value < $1.value })?.value else { return nil }
        return entries.first { counts[Self.costParameters(of: $0.hash)] == typical }?.hash
    }

    /// What decides how long a hash takes to verify: `2b$10` for bcrypt cost 10, `6$rounds=N` (or
    /// `6`) for sha-crypt, `y$j9T` for yescrypt.
    static func costParameters(of hash: String) -> String {
        let fields = hash.split(separator: "$", omittingEmptySubsequences: true)
        guard let scheme = fields.first else { return "" }
        switch scheme {
        case "5", "6":
            let rounds = fields.count > 1 && fields[1].hasPrefix("rounds=") ? "$" + fields[1] : ""
            return String(scheme) + rounds
        default:
            return fields.prefix(2).joined(separator: "$")
        }
    }

    /// `verify` on a dispatch queue, so a slow hash never occupies a cooperative-pool thread.
    public func verifyDetached(user: String, password: String) async -> Bool {
        await PasswordHash.detached { verify(user: user, password: password) }
    }
}
