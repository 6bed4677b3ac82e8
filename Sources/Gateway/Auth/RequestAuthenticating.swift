import HTTPServing

/// The authenticated caller of a request.
public struct AuthenticatedUser: Sendable, Equatable {
    /// The user name submissions are recorded under.
    public var name: String
    /// Whether the user may use `/admin/*` and act on any submission.
    public var isAdmin: Bool

    public init(name: String, isAdmin: Bool = false) {
        self.name = name
        self.isAdmin = isAdmin
    }
}

/// How a request's caller was established.
public enum AuthenticationOutcome: Sendable, Equatable {
    case authenticated(AuthenticatedUser)
    /// No acceptable credentials: answered 401 with a Basic challenge (the reason is only logged).
    case rejected(reason: String)
    /// Too many failures from this caller: answered 429 with `Retry-After`.
    case throttled(retryAfterSeconds: Int)
    /// Credentials cannot be checked right now: answered 503 with `Retry-After: 1`.
    case busy
}

/// What the gateway's routes need from authentication: who is calling. The gateway's own
/// ``Authenticator`` follows `gateway.auth` (BPG's `User-Account` header, HTTP Basic, htpasswd); an
/// embedding service passes its own (its SSO, mTLS identities, …) through
/// `GatewayService.Options.authenticator`.
///
/// ```swift
/// struct HeaderTrusting: RequestAuthenticating {
///     func authenticate(_ request: HTTPRequest) async -> AuthenticationOutcome {
///         guard let user = request.headers["X-Forwarded-User"] else { return .rejected(reason: "no user") }
///         return .authenticated(AuthenticatedUser(name: user))
///     }
/// }
/// ```
public protocol RequestAuthenticating: Sendable {
    func authenticate(_ request: HTTPRequest) async -> AuthenticationOutcome
    /// Whether `/admin/*` is limited to admins (`AuthenticatedUser.isAdmin`). Default true.
    var enforcesAdminUsers: Bool { get }
}

extension RequestAuthenticating {
    public var enforcesAdminUsers: Bool { true }
}

extension Authenticator: RequestAuthenticating {
    func authenticate(_ request: HTTPRequest) async -> AuthenticationOutcome {
        let result = await authenticate(
            userAccount: request.headers["User-Account"], authorization: request.headers["Authorization"],
            peerAddress: request.peerAddress)
        switch result {
        case .success(let user):
            return .authenticated(user)
        case .failure(.throttled(let wait)):
            // Whole seconds, rounded up, so a client that honours it is not refused again.
            return .throttled(retryAfterSeconds: Int(max(1, wait.components.seconds + (wait.components.attoseconds > 0 ? 1 : 0))))
        case .failure(.busy):
            return .busy
        case .failure(let failure):
            return .rejected(reason: "\(failure)")
        }
    }

    var enforcesAdminUsers: Bool { policy.enforceAdminUsers }
}
