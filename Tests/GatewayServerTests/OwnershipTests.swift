import Foundation
import GatewayCore
import Testing

@testable import Gateway

/// `gateway.auth.enforceOwnership`: a user reads, follows and deletes only their own submissions;
/// admins (`gateway.auth.adminUsers`) see everyone's. BPG has no such check: any caller may read or
/// delete any submission (docs/bpg-compatibility.md, "Authentication and queue tokens").
@Suite struct OwnershipTests {
    /// The per-submission reads, by method and path.
    static func reads(_ id: String) -> [(String, String)] {
        [
            ("GET", "/spark/\(id)/status"), ("GET", "/spark/\(id)/spec"), ("GET", "/spark/\(id)/driver"),
            ("GET", "/spark/\(id)/describe"), ("GET", "/log?subId=\(id)"),
        ]
    }

    @Test func ownersAndAdminsOnly() async throws {
        try await withGateway(
            timings: .uniform(.milliseconds(50)),
            configure: {
                $0.gateway.auth.enforceOwnership = true
                $0.gateway.auth.adminUsers = ["root"]
            }
        ) { (gateway: GatewayHarness) async throws in
            let id = try await gateway.submit(user: "alice")
            try await gateway.waitForState(id, "COMPLETED", user: "alice")

            for (method, path) in Self.reads(id) + [("DELETE", "/spark/\(id)")] {
                let reply = try await gateway.send(method, path, user: "bob")
                try expectErrorBody(reply, status: 403, message: .exact("Submission \(id) belongs to another user"))
            }
            for user in ["alice", "root"] {
                for (method, path) in Self.reads(id) {
                    let reply = try await gateway.send(method, path, user: user)
                    #expect(reply.status == 200, "\(user) \(path): \(reply.text)")
                }
            }
            let log = try await gateway.send("GET", "/log?subId=\(id)", user: "alice")
            #expect(log.text.contains("Pi is roughly 3.14"))
            // Bob's refused delete left the application in place.
            #expect(try await gateway.send("GET", "/spark/\(id)/spec", user: "alice").status == 200)
            // Listings are per user anyway.
            let mine = try await gateway.send("GET", "/spark/mySubmissions", user: "bob").decode(GetMySubmissionsResponse.self)
            #expect(mine.submissions.isEmpty)

            let deleted = try await gateway.send("DELETE", "/spark/\(id)", user: "alice")
            #expect(deleted.status == 200, "\(deleted.text)")
            #expect(try await gateway.send("GET", "/spark/\(id)/spec", user: "alice").status == 404)

            // An admin may delete anyone's submission.
            let other = try await gateway.submit(user: "alice")
            #expect(try await gateway.send("DELETE", "/spark/\(other)", user: "root").status == 200)
        }
    }

    /// BPG's behaviour, kept by default: any authenticated user may read, follow and delete any
    /// submission whose id they know.
    @Test func withoutEnforcementAnyoneMay() async throws {
        try await withGateway(timings: .uniform(.milliseconds(50))) { (gateway: GatewayHarness) async throws in
            let id = try await gateway.submit(user: "alice")
            try await gateway.waitForState(id, "COMPLETED", user: "alice")
            for (method, path) in Self.reads(id) {
                let reply = try await gateway.send(method, path, user: "bob")
                #expect(reply.status == 200, "\(path): \(reply.text)")
            }
            #expect(try await gateway.send("DELETE", "/spark/\(id)", user: "bob").status == 200)
            #expect(try await gateway.send("GET", "/spark/\(id)/spec", user: "alice").status == 404)
        }
    }
}
