import Foundation
import Testing
import Cryptography

@Suite struct PasswordHashTests {
    struct Known: Sendable, CustomTestStringConvertible {
        var scheme: PasswordHash.Scheme
        var password: String
        var origin: String
        var hash: String
        var testDescription: String { "\(scheme) from \(origin)" }
    }

    /// Generated once with other tools, then committed.
    static let known: [Known] = [
        Known(scheme: .sha512Crypt, password: "correct horse", origin: "openssl passwd -6 -salt saltsaltsalt",
              hash: "$6$saltsaltsalt$Cy2drr8kDRji6smvDcT28wkqtq0R0VzVL5CkrjPQCITc5d/31j94knt9rGTcVSyjLXfjsiIsBh5ee8qR/3QDx1"),
        Known(scheme: .sha256Crypt, password: "spark-submit", origin: "openssl passwd -5 -salt abcdefgh",
              hash: "$5$abcdefgh$sFoKCrjMr//kVvgXLpg3VmdOmxWfJIB0GyTdVPXYi14"),
        Known(scheme: .bcrypt, password: "battery staple", origin: "python crypt, METHOD_BLOWFISH, 2^5 rounds",
              hash: "$2b$05$VJHmRmqsY1zNj8PT7DuXk.p1EF4Usd/EynYAYa1I8Klz3mU7.r4Ae"),
        Known(scheme: .bcrypt, password: "rasmuslerdorf", origin: "PHP password_hash documentation",
              hash: "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"),
        Known(scheme: .yescrypt, password: "yes, crypt", origin: "python crypt with a $y$j9T$ setting",
              hash: "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$hnmH032hlSMWjMBy/WlHVxz8Q52IwNeF8XK3mzb7fq0"),
        Known(scheme: .sha512Crypt, password: "ünïcödé pässwörd", origin: "python crypt, METHOD_SHA512",
              hash: "$6$yVqYFbIxP.nFPgbh$D8lCeg0qrUWB7ZKjNsthSGBZSzjeXhLTT.mWYS/twJld7mBTVgTWPqmMLjTg49kUh7B/QyAXvEzdvg4BR3icA0"),
    ]

    @Test(arguments: known)
    func verifiesTheRightPasswordOnly(_ entry: Known) throws {
        #expect(try PasswordHash.scheme(of: entry.hash) == entry.scheme)
        #expect(PasswordHash.verify(entry.password, hash: entry.hash))
        #expect(!PasswordHash.verify(entry.password + "x", hash: entry.hash))
        #expect(!PasswordHash.verify("", hash: entry.hash))
        #expect(!PasswordHash.verify(entry.password.uppercased(), hash: entry.hash))
    }

    @Test func verifyDetachedRunsOffThePool() async {
        let entry = Self.known[2]
        #expect(await PasswordHash.verifyDetached(entry.password, hash: entry.hash))
        #expect(!(await PasswordHash.verifyDetached("wrong", hash: entry.hash)))
    }

    @Test(arguments: [
        ("", "empty"),
        ("$apr1$abcdefgh$mxCFjKxZ0ScsBTzJ2I/pA1", "MD5"),  // openssl passwd -apr1 -salt abcdefgh apache
        ("$1$abcdefgh$2oJbH2SqfwmWAlT9wzmKT.", "MD5"),  // openssl passwd -1 -salt abcdefgh md5
        ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "{SHA}"),
        ("apache", "plain-text"),
        ("abJnggxhB/yWI", "plain-text or DES"),
        ("$7$CU..../....", "unknown hash scheme $7$"),
    ])
    func refusedHashes(hash: String, reason: String) throws {
        let error = try #require(throws: PasswordHash.UnsupportedHash.self) { try PasswordHash.scheme(of: hash) }
        #expect(error.reason.contains(reason), "\(error)")
        #expect(!PasswordHash.verify("apache", hash: hash))
        #expect(!PasswordHash.verify("", hash: hash))
    }

    @Test func crypsFailureTokensAndMangledHashesNeverMatch() {
        // Truncated or corrupted settings make crypt_r fail with "*0"/"*1", which must not match.
        #expect(!PasswordHash.verify("x", hash: "$2b$05$short"))
        #expect(!PasswordHash.verify("x", hash: "$6$"))
        #expect(!PasswordHash.verify("x", hash: "$y$"))
        #expect(!PasswordHash.verify("x", hash: "*0"))
        // A password with NUL would be truncated by C: refuse it.
        #expect(!PasswordHash.verify("correct horse\0tail", hash: Self.known[0].hash))
    }

    @Test func htpasswdParsingAndLookup() throws {
        let file = try HtpasswdFile(
            contents: """
                # gateway users

                alice:\(Self.known[3].hash)
                bob:\(Self.known[0].hash)\r
                  # indented comment
                carol:\(Self.known[4].hash):Carol from accounting   
                """)
        #expect(file.users == ["alice", "bob", "carol"])
        #expect(file.entries.map(\.line) == [3, 4, 6])
        #expect(file.entries.map(\.scheme) == [.bcrypt, .sha512Crypt, .yescrypt])
        #expect(file.hash(for: "bob") == Self.known[0].hash)
        #expect(file.hash(for: "mallory") == nil)
        #expect(file.verify(user: "alice", password: "rasmuslerdorf"))
        #expect(file.verify(user: "bob", password: "correct horse"))
        #expect(file.verify(user: "carol", password: "yes, crypt"))
        #expect(!file.verify(user: "alice", password: "correct horse"))
        #expect(!file.verify(user: "mallory", password: "rasmuslerdorf"))
        #expect(!file.verify(user: "Alice", password: "rasmuslerdorf"))
    }

    @Test func htpasswdFromAFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("htpasswd-\(UUID().uuidString)").path
        try "dave:\(Self.known[1].hash)\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HtpasswdFile(contentsOf: path)
        #expect(await file.verifyDetached(user: "dave", password: "spark-submit"))
        #expect(throws: HtpasswdFile.ParseError.self) { try HtpasswdFile(contentsOf: path + ".missing") }
    }

    @Test(arguments: [
        ("alice:$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a\nbob:$apr1$abcdefgh$mxCFjKxZ0ScsBTzJ2I/pA1\n", 2, "user \"bob\": MD5"),
        ("# users\nbob:secret\n", 2, "plain-text"),
        ("alice\n", 1, "no colon"),
        (":$6$saltsaltsalt$x\n", 1, "user name is empty"),
        ("alice:\n", 1, "empty"),
        ("a:$5$abcdefgh$sFoKCrjMr//kVvgXLpg3VmdOmxWfJIB0GyTdVPXYi14\n\na:$5$abcdefgh$sFoKCrjMr//kVvgXLpg3VmdOmxWfJIB0GyTdVPXYi14\n", 3, "listed twice (first on line 1)"),
    ])
    func htpasswdErrorsNameTheLine(contents: String, line: Int, reason: String) throws {
        let error = try #require(throws: HtpasswdFile.ParseError.self) { try HtpasswdFile(contents: contents) }
        #expect(error.line == line)
        #expect(error.message.contains(reason), "\(error)")
        #expect(error.description.hasPrefix("line \(line): "))
    }
}
