import Foundation
import Testing

@testable import Gateway

@Suite struct AuthenticatorTests {
    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func authenticator(_ configure: (inout AuthenticationPolicy) -> Void = { _ in }) -> Authenticator {
        var policy = AuthenticationPolicy(allowedUsers: ["alice", "bob"], blockedUsers: ["mallory"])
        configure(&policy)
        return Authenticator(policy: policy, verifyPassword: { password, hash in hash == "hash-of-\(password)" })
    }

    @Test func userAccountHeaderNamesTheUser() async {
        let result = await Self.authenticator().authenticate(userAccount: "alice", authorization: nil, peerAddress: "10.0.0.1")
        #expect(result == .success(AuthenticatedUser(name: "alice", isAdmin: false)))
    }

    @Test func basicPasswordIsIgnoredLikeBPGByDefault() async {
        let result = await Self.authenticator().authenticate(
            userAccount: nil, authorization: Self.basic("bob", "anything"), peerAddress: "10.0.0.1")
        #expect(result == .success(AuthenticatedUser(name: "bob", isAdmin: false)))
    }

    @Test func blockedWinsOverWildcard() async {
        let auth = Self.authenticator { $0.allowedUsers = ["*"] }
        #expect(await auth.authenticate(userAccount: "carol", authorization: nil, peerAddress: "") == .success(.init(name: "carol", isAdmin: false)))
        #expect(await auth.authenticate(userAccount: "mallory", authorization: nil, peerAddress: "") == .failure(.notAllowed("mallory")))
    }

    @Test func noAllowedUsersRejectsEveryoneLikeBPG() async {
        let auth = Self.authenticator { $0.allowedUsers = [] }
        #expect(await auth.authenticate(userAccount: "alice", authorization: nil, peerAddress: "") == .failure(.notAllowed("alice")))
    }

    @Test func firstFilterFailureIsReportedWhenBothFail() async {
        let result = await Self.authenticator().authenticate(
            userAccount: "eve", authorization: Self.basic("zed", "x"), peerAddress: "")
        #expect(result == .failure(.notAllowed("eve")))
    }

    @Test(arguments: ["Bearer abc", "Basic !!!", "Basic " + Data("nocolon".utf8).base64EncodedString(), "Basic " + Data(":pw".utf8).base64EncodedString()])
    func malformedAuthorizationIsRejected(header: String) async {
        #expect(await Self.authenticator().authenticate(userAccount: nil, authorization: header, peerAddress: "") == .failure(.malformedAuthorization))
    }

    @Test func noCredentials() async {
        #expect(await Self.authenticator().authenticate(userAccount: nil, authorization: nil, peerAddress: "") == .failure(.noCredentials))
        #expect(await Self.authenticator().authenticate(userAccount: "  ", authorization: nil, peerAddress: "") == .failure(.noCredentials))
    }

    @Test func htpasswdChecksPasswords() async {
        let auth = Self.authenticator { $0.passwordHashes = ["alice": "hash-of-secret"] }
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "") == .success(.init(name: "alice", isAdmin: false)))
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "guess"), peerAddress: "") == .failure(.wrongPassword))
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("bob", "secret"), peerAddress: "") == .failure(.wrongPassword))
    }

    @Test func userAccountOnlyFromTrustedProxies() async {
        let auth = Self.authenticator { $0.userAccountHeader = .proxies([PeerAddressPattern("127.0.0.1")!]) }
        #expect(await auth.authenticate(userAccount: "alice", authorization: nil, peerAddress: "127.0.0.1") == .success(.init(name: "alice", isAdmin: false)))
        #expect(await auth.authenticate(userAccount: "alice", authorization: nil, peerAddress: "10.1.2.3") == .failure(.noCredentials))
    }

    @Test func basicIsRefusedWhenOnlyAProxyMayIdentifyCallers() async {
        let auth = Self.authenticator {
            $0.userAccountHeader = .proxies([PeerAddressPattern("127.0.0.1")!])
            $0.acceptsBasic = false
        }
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "x"), peerAddress: "10.1.2.3") == .failure(.noCredentials))
        #expect(await auth.authenticate(userAccount: "alice", authorization: nil, peerAddress: "127.0.0.1") == .success(.init(name: "alice", isAdmin: false)))
    }

    @Test(arguments: [("10.0.0.0/8", "10.200.3.4", true), ("10.0.0.0/8", "11.0.0.1", false), ("127.0.0.1", "::ffff:127.0.0.1", true), ("::1", "::1", true), ("192.168.1.0/24", "192.168.2.1", false)])
    func peerAddressPatterns(pattern: String, peer: String, matches: Bool) async throws {
        #expect(try #require(PeerAddressPattern(pattern)).matches(peer) == matches)
    }

    @Test func malformedPatternsAreRejected() async {
        #expect(PeerAddressPattern("10.0.0.0/33") == nil)
        #expect(PeerAddressPattern("not-an-ip") == nil)
        #expect(PeerAddressPattern("") == nil)
    }

    @Test func adminsAreMarked() async {
        let auth = Self.authenticator { $0.adminUsers = ["bob"] }
        #expect(await auth.authenticate(userAccount: "bob", authorization: nil, peerAddress: "") == .success(.init(name: "bob", isAdmin: true)))
    }
}
