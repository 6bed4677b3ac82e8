import Foundation
import Synchronization
import Testing
import Cryptography

@Suite struct PasswordHashingPoolTests {
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    /// bcrypt cost 5 of "battery staple" (as in `PasswordHashTests`).
    static let hash = "$2b$05$VJHmRmqsY1zNj8PT7DuXk.p1EF4Usd/EynYAYa1I8Klz3mU7.r4Ae"

    @Test func verifiesOnItsOwnThreads() async throws {
        let pool = PasswordHashingPool(threads: 2, maxPending: 8)
        #expect(try await pool.verify("battery staple", hash: Self.hash))
        #expect(try await !pool.verify("battery stapler", hash: Self.hash))
        let name = try await pool.run { Thread.current.name ?? "" }
        #expect(name.hasPrefix("bpg-pwhash-"), "\(name)")
    }

    /// Work beyond `maxPending` is refused at once instead of queueing without bound.
    @Test func refusesWhenTheQueueIsFull() async throws {
        let pool = PasswordHashingPool(threads: 1, maxPending: 2)
        let gate = DispatchSemaphore(value: 0)
        let started = Flag()
        // Occupies the only thread until the gate opens.
        let blocker = Task { try await pool.run { started.set(); gate.wait(); return 1 } }
        while !started.isSet { try await Task.sleep(for: .milliseconds(5)) }
        let queued = (0..<2).map { index in Task { try await pool.run { index } } }
        while pool.pending < 2 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: PasswordHashingPool.Busy.self) { try await pool.run { 99 } }
        gate.signal()
        #expect(try await blocker.value == 1)
        #expect(try await queued[0].value == 0)
        #expect(try await queued[1].value == 1)
        // Room again once the queue drained.
        #expect(try await pool.run { 7 } == 7)
    }

    /// An unknown user is checked against a hash of the file's usual cost, not a cheap or odd one.
    @Test func decoyHashHasTheFilesTypicalCost() throws {
        let file = try HtpasswdFile(contents: """
            admin:$6$saltsaltsalt$Cy2drr8kDRji6smvDcT28wkqtq0R0VzVL5CkrjPQCITc5d/31j94knt9rGTcVSyjLXfjsiIsBh5ee8qR/3QDx1
            old:$2b$05$VJHmRmqsY1zNj8PT7DuXk.p1EF4Usd/EynYAYa1I8Klz3mU7.r4Ae
            erin:$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a
            frank:$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a

            """)
        #expect(file.decoyHash == "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a")
        #expect(try HtpasswdFile(contents: "").decoyHash == nil)
        // A tie goes to the earliest entry.
        let tie = try HtpasswdFile(contents: "a:$2b$12$x\nb:$6$rounds=9000$s$h\n")
        #expect(tie.decoyHash == "$2b$12$x")
    }
}
