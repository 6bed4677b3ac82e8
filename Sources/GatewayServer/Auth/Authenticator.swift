import Foundation

/// The authenticated caller of a request.
struct AuthenticatedUser: Sendable, Equatable {
    var name: String
    var isAdmin: Bool
}

/// Why a request was not authenticated; always answered with 401 and a Basic challenge, the reason
/// is only logged.
enum AuthenticationFailure: Error, Equatable {
    case noCredentials
    case malformedAuthorization
    case wrongPassword
    case notAllowed(String)
}

/// Establishes who is calling from the request's credentials, following an `AuthenticationPolicy`.
///
/// Order as in BPG's filter chain: the `User-Account` header first, then HTTP Basic. The password
/// check itself is injected so this type stays free of C.
struct Authenticator: Sendable {
    var policy: AuthenticationPolicy
    /// Verifies a password against a stored hash (libcrypt's `crypt_r` in production).
    var verifyPassword: @Sendable (_ password: String, _ hash: String) -> Bool

    func authenticate(
        userAccount: String?, authorization: String?, peerAddress: String
    ) -> Result<AuthenticatedUser, AuthenticationFailure> {
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
                if let hashes = policy.passwordHashes {
                    guard let hash = hashes[name], verifyPassword(password, hash) else {
                        return .failure(firstFailure ?? .wrongPassword)
                    }
                }
                if policy.permits(name) { return .success(user(name)) }
                return .failure(firstFailure ?? .notAllowed(name))
            }
        }
        return .failure(firstFailure ?? .noCredentials)
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
