import Foundation
import GatewayCore
import Testing

@testable import Gateway
@testable import GatewayServer

/// The three authentication modes and `adminUsers`, in process (BPG's rules: docs/bpg-compatibility.md,
/// "Authentication and queue tokens").
@Suite struct AuthenticationTests {
    static func basic(_ user: String, _ password: String) -> [String: String] {
        ["Authorization": "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    /// `carol` with the password `correct horse` (sha512-crypt, made with `openssl passwd -6`).
    static var htpasswdPath: String {
        get throws {
            try #require(Bundle.module.path(forResource: "users", ofType: "htpasswd", inDirectory: "Fixtures"))
        }
    }

    /// Healthcheck status for a caller: the cheapest authenticated endpoint.
    static func health(_ gateway: GatewayHarness, user: String? = nil, headers: [String: String] = [:]) async throws -> Int {
        let reply = try await gateway.send("GET", "/healthcheck/status", user: user, headers: headers)
        if reply.status == 401 {
            #expect(reply.headers["www-authenticate"] == "Basic realm=\"bpg\"")
            try expectErrorBody(reply, status: 401, message: .exact("HTTP 401 Unauthorized."))
        }
        return reply.status
    }

    // MARK: BPG mode

    @Test func bpgModeTrustsTheHeaderAndAnyBasicPassword() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 200)
            #expect(try await Self.health(gateway, headers: Self.basic("alice", "anything")) == 200)
            #expect(try await Self.health(gateway, headers: Self.basic("alice", "")) == 200)
            #expect(try await Self.health(gateway) == 401)
            #expect(try await Self.health(gateway, headers: ["Authorization": "Bearer abc"]) == 401)
            #expect(try await Self.health(gateway, headers: ["Authorization": "Basic !!!notbase64"]) == 401)
            // The Basic name is who submits.
            let reply = try await gateway.post(
                "/spark", json: DevEnvironment.sparkPiRequest, user: nil, headers: Self.basic("dora", "x"))
            let id = try #require(try reply.json()["submissionId"] as? String)
            #expect(try await gateway.gateway.store.submission(id: id)?.user == "dora")
        }
    }

    @Test func allowedUsersList() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: { $0.allowedUsers = ["alice"] }) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 200)
            #expect(try await Self.health(gateway, headers: Self.basic("alice", "pw")) == 200)
            #expect(try await Self.health(gateway, user: "bob") == 401)
            #expect(try await Self.health(gateway, headers: Self.basic("bob", "pw")) == 401)
            // Names match exactly, case-sensitive, as in BPG.
            #expect(try await Self.health(gateway, user: "Alice") == 401)
        }
    }

    @Test func blockedUsersWinOverAllowedUsers() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.allowedUsers = ["*", "bob"]
                $0.blockedUsers = ["bob"]
            }
        ) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 200)
            #expect(try await Self.health(gateway, user: "bob") == 401)
            #expect(try await Self.health(gateway, headers: Self.basic("bob", "pw")) == 401)
        }
    }

    @Test func emptyAllowedUsersRejectsEveryone() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: { $0.allowedUsers = [] }) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 401)
            #expect(try await Self.health(gateway, headers: Self.basic("alice", "pw")) == 401)
        }
    }

    // MARK: htpasswd mode

    @Test func htpasswdModeChecksPasswords() async throws {
        let path = try Self.htpasswdPath
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.gateway.auth.mode = .htpasswd
                $0.gateway.auth.htpasswdFile = path
            }
        ) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, headers: Self.basic("carol", "correct horse")) == 200)
            #expect(try await Self.health(gateway, headers: Self.basic("carol", "correct horse ")) == 401)
            #expect(try await Self.health(gateway, headers: Self.basic("carol", "")) == 401)
            #expect(try await Self.health(gateway, headers: Self.basic("dave", "correct horse")) == 401)
            // The header is not believed in this mode, alone or next to a wrong password.
            #expect(try await Self.health(gateway, user: "carol") == 401)
            #expect(try await Self.health(gateway, user: "carol", headers: Self.basic("carol", "wrong")) == 401)
            // With the right password, the header cannot change who submits.
            let reply = try await gateway.post(
                "/spark", json: DevEnvironment.sparkPiRequest, user: "mallory", headers: Self.basic("carol", "correct horse"))
            let id = try #require(try reply.json()["submissionId"] as? String)
            #expect(try await gateway.gateway.store.submission(id: id)?.user == "carol")
        }
    }

    // MARK: trustedHeader mode

    @Test func trustedHeaderFromATrustedProxy() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.gateway.auth.mode = .trustedHeader
                $0.gateway.auth.trustedProxies = ["127.0.0.1"]
            }
        ) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 200)
            let id = try await gateway.submit(user: "alice")
            #expect(try await gateway.gateway.store.submission(id: id)?.user == "alice")
        }
    }

    @Test func trustedHeaderIgnoredFromOtherPeers() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.gateway.auth.mode = .trustedHeader
                $0.gateway.auth.trustedProxies = ["10.0.0.0/8"]
            }
        ) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, user: "alice") == 401)
            // An unchecked Basic user name would bypass the proxy: refused without an htpasswd file.
            #expect(try await Self.health(gateway, headers: Self.basic("alice", "pw")) == 401)
        }
    }

    @Test func trustedHeaderWithHtpasswdForDirectCallers() async throws {
        let path = try Self.htpasswdPath
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.gateway.auth.mode = .trustedHeader
                $0.gateway.auth.trustedProxies = ["10.0.0.0/8"]
                $0.gateway.auth.htpasswdFile = path
            }
        ) { (gateway: GatewayHarness) async throws in
            #expect(try await Self.health(gateway, headers: Self.basic("carol", "wrong")) == 401)
            // Checked Basic credentials name the user whatever the header says.
            let reply = try await gateway.post(
                "/spark", json: DevEnvironment.sparkPiRequest, user: "mallory",
                headers: Self.basic("carol", "correct horse"))
            let id = try #require(try reply.json()["submissionId"] as? String)
            #expect(try await gateway.gateway.store.submission(id: id)?.user == "carol")
        }
    }

    // MARK: adminUsers

    @Test func adminUsersGuardAdminEndpoints() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: { $0.gateway.auth.adminUsers = ["root"] }) { (gateway: GatewayHarness) async throws in
            for path in ["/admin/submissions", "/admin/version"] {
                let bob = try await gateway.send("GET", path, user: "bob")
                try expectErrorBody(bob, status: 403, message: .exact("User bob is not an admin"))
                #expect(try await gateway.send("GET", path, user: "root").status == 200)
            }
            // Non-admin endpoints are unaffected.
            #expect(try await Self.health(gateway, user: "bob") == 200)
        }
    }

    /// BPG reads `adminUsers` but never uses it: without `gateway.auth.adminUsers` anyone may list.
    @Test func withoutGatewayAdminUsersAnyoneMayList() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50)), configure: { $0.adminUsers = ["root"] }) { (gateway: GatewayHarness) async throws in
            #expect(try await gateway.send("GET", "/admin/submissions", user: "bob").status == 200)
        }
    }
}
