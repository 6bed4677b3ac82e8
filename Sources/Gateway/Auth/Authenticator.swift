import Foundation

/// Why a request was not authenticated. Answered with 401 and a Basic challenge, except
/// `throttled` (429) and `busy` (503); the reason is only logged.
enum AuthenticationFailure: Error, Equatable {
    case noCredentials
    case malformedAuthorization
    /// A wrong password, or a user the password file does not list: the two are deliberately one case.
    case wrongPassword
    case notAllowed(String)
    /// Too many failed password checks from this address; its passwords are not checked until then.
    case throttled(retryAfter: Duration)
    /// Every password-hashing thread is busy and the queue is full.
    case busy
}

/// How password checks are paced (htpasswd): the cache of verified credentials and the per-address
/// failure limit.
struct PasswordCheckSettings: Sendable {
    /// How long a verified user/password pair is believed without hashing again; zero: always hash.
    var cacheLifetime: Duration = .seconds(60)
    /// Failed checks allowed per client address and `failureWindow`; 0 turns the limit off.
    var maxFailuresPerAddress = 5
    var failureWindow: Duration = .seconds(60)
    var now: @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
}

/// Establishes who is calling from the request's credentials, following an `AuthenticationPolicy`.
///
/// Order as in BPG's filter chain: the `User-Account` header first, then HTTP Basic. The password
/// check itself is injected so this type stays free of C; in production it runs on a
/// `PasswordHashingPool`, so a slow hash never holds an I/O or cooperative-pool thread.
struct Authenticator: Sendable {
    let policy: AuthenticationPolicy
    /// Verifies a password against a stored hash; throws when it cannot run now (pool full).
    private let verifyPassword: @Sendable (_ password: String, _ hash: String) async throws -> Bool
    /// Checked for unknown users, so they cost as much as a wrong password.
    private let decoyHash: String?
    let verifiedCredentials: CredentialCache
    let failures: FailureLimiter

    init(
        policy: AuthenticationPolicy, settings: PasswordCheckSettings = PasswordCheckSettings(),
        verifyPassword: @escaping @Sendable (_ password: String, _ hash: String) async throws -> Bool
    ) {
        self.policy = policy
        self.verifyPassword = verifyPassword
        // Without a file-provided decoy any stored hash will do: the same kind as the real ones.
        decoyHash = policy.decoyHash ?? policy.passwordHashes?.values.min()
        verifiedCredentials = CredentialCache(lifetime: settings.cacheLifetime, now: settings.now)
        failures = FailureLimiter(
            maxFailures: settings.maxFailuresPerAddress, window: settings.failureWindow, now: settings.now)
    }

    func authenticate(
        userAccount: String?, authorization: String?, peerAddress: String
    ) async -> Result<AuthenticatedUser, AuthenticationFailure> {
        var firstFailure: AuthenticationFailure?
        if let header = userAccount?.trimmingCharacters(in: .whitespaces), !header.isEmpty,
            policy.userAccountHeader.trusts(peerAddress)
        {
            if policy.permits(header) { return .success(user(header)) }
            firstFailure = .notAllowed(header)
        }
        if let authorization, policy.acceptsBasic {
            switch basicCredentials(authorization) {
            case .failure(let failure):
                return .failure(firstFailure ?? failure)
            case .success(let (name, password)):
                if policy.passwordHashes != nil {
                    if let failure = await checkPassword(user: name, password: password, peerAddress: peerAddress) {
                        // Throttling and overload decide the status, whatever the header said.
                        if case .wrongPassword = failure { return .failure(firstFailure ?? failure) }
                        return .failure(failure)
                    }
                }
                if policy.permits(name) { return .success(user(name)) }
                return .failure(firstFailure ?? .notAllowed(name))
            }
        }
        return .failure(firstFailure ?? .noCredentials)
    }

    /// Nil when the password is right. An unknown user and a wrong password take the same path and
    /// the same time (the decoy hash), and both count against the caller's address.
    private func checkPassword(user: String, password: String, peerAddress: String) async -> AuthenticationFailure? {
        if verifiedCredentials.contains(user: user, password: password) { return nil }
        if let wait = failures.retryAfter(peerAddress) { return .throttled(retryAfter: wait) }
        let stored = policy.passwordHashes?[user]
        guard let hash = stored ?? decoyHash else {
            failures.recordFailure(peerAddress)
            return .wrongPassword
        }
        let matches: Bool
        do {
            matches = try await verifyPassword(password, hash)
        } catch {
            return .busy
        }
        guard matches, stored != nil else {
            failures.recordFailure(peerAddress)
            return .wrongPassword
        }
        verifiedCredentials.insert(user: user, password: password)
        return nil
    }

    private func user(_ name: String) -> AuthenticatedUser {
        AuthenticatedUser(name: name, isAdmin: policy.isAdmin(name))
    }
    /// `Basic base64(user:password)`; the scheme is case-insensitive (RFC 7617).
    private func basicCredentials(_ header: String) -> Result<(String, String), AuthenticationFailure> {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return .failure(.malformedAuthorization) }
        let name = String(text[..<colon])
        guard !name.isEmpty else { return .failure(.malformedAuthorization) }
        return .success((name, String(text[text.index(after: colon)...])))
    }
}
