import Foundation
import GatewayCore
import KubeSimulator
import Persistence
import Testing

@testable import Gateway

/// `Idempotency-Key` (header) and `?idempotencyKey=` (query parameter) on `POST /spark`.
@Suite(.serialized) struct IdempotencyTests {
    /// How many SparkApplications exist on both simulated clusters.
    static func applicationCount(_ gateway: GatewayHarness) throws -> Int {
        try DevEnvironment.clusterIds.reduce(0) { total, id in
            total + (try gateway.cluster(id).store.list(.sparkApplications, filter: ObjectFilter()).items.count)
        }
    }

    static func submit(
        _ gateway: GatewayHarness, key: String, user: String = "alice", body: String = DevEnvironment.sparkPiRequest,
        asQuery: Bool = false
    ) async throws -> Reply {
        if asQuery {
            return try await gateway.post("/spark?idempotencyKey=\(key)", json: body, user: user)
        }
        return try await gateway.post("/spark", json: body, user: user, headers: ["Idempotency-Key": key])
    }

    static func id(_ reply: Reply) throws -> String {
        guard reply.status == 200, let id = try reply.json()["submissionId"] as? String else {
            throw HarnessError("submit answered \(reply.status): \(reply.text)")
        }
        return id
    }

    @Test(arguments: StoreKind.allCases)
    func theSameKeyTwiceReturnsTheSameIdAndCreatesOnce(store: StoreKind) async throws {
        try await withGateway(store: store) { gateway in
            let first = try Self.id(try await Self.submit(gateway, key: "retry-1"))
            let second = try Self.id(try await Self.submit(gateway, key: "retry-1"))
            #expect(first == second)
            #expect(try Self.applicationCount(gateway) == 1)
            let other = try Self.id(try await Self.submit(gateway, key: "retry-2"))
            #expect(other != first)
            #expect(try Self.applicationCount(gateway) == 2)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentDuplicatesCreateExactlyOneApplication(store: StoreKind) async throws {
        try await withGateway(store: store) { gateway in
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<20 { group.addTask { try await Self.submit(gateway, key: "burst") } }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.allSatisfy { $0.status == 200 }, "\(replies.filter { $0.status != 200 }.map(\.text))")
            let ids = Set(try replies.map(Self.id))
            #expect(ids.count == 1, "every duplicate got the winner's id")
            #expect(try Self.applicationCount(gateway) == 1)
            let records = try await gateway.gateway.store.listSubmissions(.init(user: "alice"))
            #expect(records.records.count == 1, "the losers recorded nothing")
        }
    }

    @Test func aDifferentBodyWithTheSameKeyIsAConflict() async throws {
        try await withGateway { gateway in
            _ = try Self.id(try await Self.submit(gateway, key: "k"))
            let changed = DevEnvironment.sparkPiRequest.replacingOccurrences(of: #"["1000"]"#, with: #"["2000"]"#)
            let reply = try await Self.submit(gateway, key: "k", body: changed)
            #expect(reply.status == 409)
            #expect(reply.text.contains("Idempotency-Key k"))
            #expect(try Self.applicationCount(gateway) == 1)
        }
    }

    @Test func differentUsersWithTheSameKeyGetTwoSubmissions() async throws {
        try await withGateway { gateway in
            let alice = try Self.id(try await Self.submit(gateway, key: "shared", user: "alice"))
            let bob = try Self.id(try await Self.submit(gateway, key: "shared", user: "bob"))
            #expect(alice != bob)
            #expect(try Self.applicationCount(gateway) == 2)
        }
    }

    @Test func theQueryParameterWorksLikeTheHeader() async throws {
        try await withGateway { gateway in
            let first = try Self.id(try await Self.submit(gateway, key: "q-1", asQuery: true))
            let again = try Self.id(try await Self.submit(gateway, key: "q-1", asQuery: true))
            let viaHeader = try Self.id(try await Self.submit(gateway, key: "q-1"))
            #expect(first == again)
            #expect(first == viaHeader, "header and query parameter name the same key")
            #expect(try Self.applicationCount(gateway) == 1)

            let both = try await gateway.post(
                "/spark?idempotencyKey=one", json: DevEnvironment.sparkPiRequest, headers: ["Idempotency-Key": "two"])
            #expect(both.status == 400)
            let tooLong = try await Self.submit(gateway, key: String(repeating: "x", count: 201))
            #expect(tooLong.status == 400)
            #expect(tooLong.text.contains("Idempotency-Key"))
            #expect(try Self.applicationCount(gateway) == 1)
        }
    }

    @Test func aRetryAfterFailoverReturnsTheSubmissionThatSucceeded() async throws {
        try await withGateway(configure: FailoverTests.configure) { gateway in
            // Run until one submission ranked A first, was fenced there after a 500 and moved to B (the
            // key then sits on A's fenced record and, as `<key>#2`, on B's): its retry must return B's id.
            var moved: (key: String, id: String)?
            for attempt in 0..<30 where moved == nil {
                gateway.cluster("spark-cluster-a").failNextCreates(1, status: 500)
                let key = "fo-\(attempt)"
                let id = try Self.id(try await Self.submit(gateway, key: key))
                if id.hasPrefix("spark-cluster-b-"),
                    try await gateway.gateway.store.submission(user: "alice", idempotencyKey: key)?.status == SubmissionState.fenced
                {
                    moved = (key, id)
                }
                // Use up the injected failure if B was ranked first and A never saw this submission.
                if !id.hasPrefix("spark-cluster-b-") || moved == nil {
                    try await FailoverTests.drainInjectedFailures(gateway, cluster: "spark-cluster-a")
                }
            }
            let (key, id) = try #require(moved, "in 30 tries A was never ranked first (odds 2^-30)")
            let before = try Self.applicationCount(gateway)
            #expect(try Self.id(try await Self.submit(gateway, key: key)) == id)
            #expect(try Self.applicationCount(gateway) == before, "the retry created nothing")
        }
    }

    @Test func aRetryAfterEveryAttemptFailedSubmitsAgainOnce() async throws {
        try await withGateway(configure: FailoverTests.configure) { gateway in
            gateway.cluster("spark-cluster-a").failNextCreates(1, status: 500)
            gateway.cluster("spark-cluster-b").failNextCreates(1, status: 500)
            let first = try await Self.submit(gateway, key: "all-failed")
            #expect(first.status == 503, "both attempts failed: \(first.text)")
            #expect(try Self.applicationCount(gateway) == 0)
            let retried = try Self.id(try await Self.submit(gateway, key: "all-failed"))
            let again = try Self.id(try await Self.submit(gateway, key: "all-failed"))
            #expect(retried == again)
            #expect(try Self.applicationCount(gateway) == 1)
        }
    }
}
