import Gateway
import HTTPServing

/// The portal's own notion of who is calling, replacing the gateway's `gateway.auth` (BPG's
/// `User-Account` header or HTTP Basic): an API token per user, sent as `Authorization: Bearer …`.
/// A real portal would check its session or SSO token here; the gateway only needs the user's name
/// (submissions are recorded and owned under it) and whether they are an admin.
public struct PortalAuthenticator: RequestAuthenticating {
    /// The user each token stands for.
    public var users: [String: AuthenticatedUser]

    public init(users: [String: AuthenticatedUser]) {
        self.users = users
    }

    public func authenticate(_ request: HTTPRequest) async -> AuthenticationOutcome {
        guard let authorization = request.headers["Authorization"], authorization.hasPrefix("Bearer ") else {
            return .rejected(reason: "no bearer token")
        }
        guard let user = users[String(authorization.dropFirst("Bearer ".count))] else {
            // The reason is only logged, never sent: it must not contain the token.
            return .rejected(reason: "unknown bearer token")
        }
        return .authenticated(user)
    }
}
