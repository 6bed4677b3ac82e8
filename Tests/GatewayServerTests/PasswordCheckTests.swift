import Foundation
import GatewayCore
import Synchronization
import Testing

@testable import Gateway

/// htpasswd checks in process: unknown users cost a hash like known ones, verified credentials are
/// cached, and repeated failures from one address are refused without hashing.
@Suite struct PasswordCheckTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(by duration: Duration) { instant.withLock { $0 += duration } }
    }

    /// Counts the (fake) hash computations.
    final class HashCounter: Sendable {
        private let value = Atomic<Int>(0)
        var count: Int { value.load(ordering: .relaxed) }
        func verify(_ password: String, _ hash: String) -> Bool {
            value.add(1, ordering: .relaxed)
            return hash == "hash-of-\(password)"
        }
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func authenticator(
        clock: ManualClock, counter: HashCounter, maxFailures: Int = 5
    ) -> Authenticator {
        var policy = AuthenticationPolicy(allowedUsers: ["*"])
        policy.passwordHashes = ["alice": "hash-of-secret", "bob": "hash-of-hunter2"]
        policy.userAccountHeader = .nobody
        let settings = PasswordCheckSettings(
            cacheLifetime: .seconds(60), maxFailuresPerAddress: maxFailures, failureWindow: .seconds(60),
            now: { clock.now })
        return Authenticator(policy: policy, settings: settings) { password, hash in counter.verify(password, hash) }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// The live configuration path (`makeAuthenticator`) with a bcrypt cost-10 file: an unknown user
    /// must take about as long as a wrong password for a listed one (before: 0.3 ms against 60 ms).
    @Test func unknownUserCostsAsMuchAsAWrongPassword() async throws {
        var configuration = GatewayConfiguration()
        configuration.allowedUsers = ["*"]
        configuration.gateway.auth.mode = .htpasswd
        configuration.gateway.auth.htpasswdFile = try #require(
            Bundle.module.path(forResource: "bcrypt", ofType: "htpasswd", inDirectory: "Fixtures"))
        configuration.gateway.auth.maxFailuresPerAddress = 0
        configuration.gateway.auth.credentialCacheSeconds = 0
        let authenticator = try GatewayService.makeAuthenticator(configuration)
        func time(_ user: String) async -> (Double, Result<AuthenticatedUser, AuthenticationFailure>) {
            let start = ContinuousClock.now
            let result = await authenticator.authenticate(
                userAccount: nil, authorization: Self.basic(user, "not-the-password"), peerAddress: "10.0.0.1")
            return (Self.milliseconds(ContinuousClock.now - start), result)
        }
        var known: [Double] = []
        var unknown: [Double] = []
        // Interleaved, so that a burst of load from other processes hits both alike.
        for round in 0..<7 {
            let (knownTime, knownResult) = await time("erin")
            let (unknownTime, unknownResult) = await time("nobody-\(round)")
            #expect(knownResult == .failure(.wrongPassword))
            #expect(unknownResult == .failure(.wrongPassword))
            known.append(knownTime)
            unknown.append(unknownTime)
        }
        let knownMedian = Self.median(known)
        let unknownMedian = Self.median(unknown)
        print("password timing: wrong password median \(knownMedian) ms, unknown user median \(unknownMedian) ms")
        #expect(knownMedian > 5, "bcrypt cost 10 should take tens of milliseconds")
        #expect(unknownMedian >= 0.3 * knownMedian, "unknown \(unknown) vs known \(known)")
        // And the right password still works.
        let ok = await authenticator.authenticate(
            userAccount: nil, authorization: Self.basic("erin", "rasmuslerdorf"), peerAddress: "10.0.0.1")
        #expect(ok == .success(AuthenticatedUser(name: "erin", isAdmin: false)))
    }

    @Test func verifiedCredentialsAreCachedBriefly() async {
        let clock = ManualClock()
        let counter = HashCounter()
        let auth = Self.authenticator(clock: clock, counter: counter)
        let alice = AuthenticatedUser(name: "alice", isAdmin: false)
        for _ in 0..<5 {
            #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "10.0.0.1") == .success(alice))
        }
        #expect(counter.count == 1)
        // Another password for the same user is not covered by the cached pair.
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret2"), peerAddress: "10.0.0.1") == .failure(.wrongPassword))
        #expect(counter.count == 2)
        // Failures are never cached.
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret2"), peerAddress: "10.0.0.1") == .failure(.wrongPassword))
        #expect(counter.count == 3)
        clock.advance(by: .seconds(61))
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "10.0.0.1") == .success(alice))
        #expect(counter.count == 4)
        #expect(auth.verifiedCredentials.count == 1)
    }

    @Test func repeatedFailuresFromOneAddressAreThrottled() async {
        let clock = ManualClock()
        let counter = HashCounter()
        let auth = Self.authenticator(clock: clock, counter: counter)
        // Wrong passwords and unknown users count alike.
        for attempt in 0..<5 {
            let user = attempt.isMultiple(of: 2) ? "alice" : "nobody"
            #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic(user, "guess\(attempt)"), peerAddress: "10.0.0.1") == .failure(.wrongPassword))
        }
        #expect(counter.count == 5)
        clock.advance(by: .seconds(10))
        // The sixth is refused without hashing, even with the right password.
        for user in ["alice", "nobody"] {
            let refused = await auth.authenticate(userAccount: nil, authorization: Self.basic(user, "secret"), peerAddress: "10.0.0.1")
            #expect(refused == .failure(.throttled(retryAfter: .seconds(50))))
        }
        #expect(counter.count == 5)
        // The same client over an IPv4-mapped IPv6 address is the same client.
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "::ffff:10.0.0.1") == .failure(.throttled(retryAfter: .seconds(50))))
        // Other addresses are unaffected; a pair that verified is accepted from the throttled one too.
        let bob = AuthenticatedUser(name: "bob", isAdmin: false)
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("bob", "hunter2"), peerAddress: "10.0.0.2") == .success(bob))
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("bob", "hunter2"), peerAddress: "10.0.0.1") == .success(bob))
        #expect(counter.count == 6)
        // A success does not reset the count.
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "10.0.0.1") == .failure(.throttled(retryAfter: .seconds(50))))
        // Once the window has passed, passwords are checked again.
        clock.advance(by: .seconds(50))
        #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "secret"), peerAddress: "10.0.0.1") == .success(AuthenticatedUser(name: "alice", isAdmin: false)))
        #expect(counter.count == 7)
    }

    @Test func failureLimitZeroTurnsItOff() async {
        let clock = ManualClock()
        let counter = HashCounter()
        let auth = Self.authenticator(clock: clock, counter: counter, maxFailures: 0)
        for _ in 0..<20 {
            #expect(await auth.authenticate(userAccount: nil, authorization: Self.basic("alice", "guess"), peerAddress: "10.0.0.1") == .failure(.wrongPassword))
        }
        #expect(counter.count == 20)
    }

    /// The window bookkeeping keeps at most `capacity` addresses, dropping expired ones first.
    @Test func failureWindowsAreBounded() {
        let start = ContinuousClock.now
        var windows = FailureLimiter.Windows(maxFailures: 1, window: .seconds(60), capacity: 3)
        windows.recordFailure("a", now: start)
        windows.recordFailure("b", now: start + .seconds(30))
        windows.recordFailure("c", now: start + .seconds(40))
        #expect(windows.retryAfter("a", now: start + .seconds(40)) == .seconds(20))
        // "a" has expired by now and makes room.
        windows.recordFailure("d", now: start + .seconds(61))
        #expect(Set(windows.entries.keys) == ["b", "c", "d"])
        // All live: the oldest goes.
        windows.recordFailure("e", now: start + .seconds(62))
        #expect(Set(windows.entries.keys) == ["c", "d", "e"])
        #expect(windows.retryAfter("e", now: start + .seconds(62)) == .seconds(60))
        #expect(windows.retryAfter("zzz", now: start + .seconds(62)) == nil)
    }

    @Test func throttlingAndOverloadSettingsAreValidated() {
        var configuration = GatewayConfiguration()
        configuration.gateway.auth.maxFailuresPerAddress = -1
        configuration.gateway.auth.failureWindowSeconds = 0
        configuration.gateway.auth.credentialCacheSeconds = -5
        configuration.gateway.auth.hashingThreads = 1000
        let problems = configuration.validate().map(\.description).joined(separator: "\n")
        for key in ["maxFailuresPerAddress", "failureWindowSeconds", "credentialCacheSeconds", "hashingThreads"] {
            #expect(problems.contains("gateway.auth.\(key)"), "\(problems)")
        }
    }
}
