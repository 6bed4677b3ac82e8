/// Who may call the gateway, and how their identity is established.
///
/// The defaults are BPG's semantics: the `User-Account` header or HTTP Basic names the user, the
/// Basic password is not checked, and the name must pass `blockedUsers` then `allowedUsers` (`*`
/// allows everyone). The stricter settings are off by default so that a BPG config behaves as it did.
struct AuthenticationPolicy: Sendable {
    var allowedUsers: Set<String> = []
    var blockedUsers: Set<String> = []
    /// Users allowed on `/admin/*` when `enforceAdminUsers` is on.
    var adminUsers: Set<String> = []
    /// When set, Basic passwords are verified against these hashes (an htpasswd file's entries),
    /// and a user missing from it is rejected.
    var passwordHashes: [String: String]? = nil
    /// What an unknown user's password is hashed against (the file's typical hash), so that an
    /// unknown user is not told apart from a wrong password by response time.
    var decoyHash: String? = nil
    /// Whose `User-Account` header is believed: anyone's (BPG), only an auth proxy's, or nobody's.
    var userAccountHeader: HeaderTrust = .anyone
    /// Whether HTTP Basic credentials identify a caller at all. Off in `trustedHeader` mode without an
    /// htpasswd file: an unchecked Basic user name would bypass the proxy.
    var acceptsBasic = true
    /// Whether `/admin/*` is limited to `adminUsers` (BPG reads `adminUsers` but never uses it).
    var enforceAdminUsers = false
    /// Whether a non-admin user may read, log and delete only their own submissions.
    var enforceOwnership = false

    /// Who may assert an identity with the `User-Account` header.
    enum HeaderTrust: Sendable {
        /// BPG: any caller.
        case anyone
        /// Only peers matching these addresses or IPv4 CIDR blocks (an auth sidecar or ingress).
        case proxies([PeerAddressPattern])
        /// Never: Basic credentials are required.
        case nobody

        func trusts(_ peer: String) -> Bool {
            switch self {
            case .anyone: true
            case .proxies(let patterns): patterns.contains { $0.matches(peer) }
            case .nobody: false
            }
        }
    }

    /// A name passes when it is not blocked and is allowed (exact, case-sensitive, as BPG).
    func permits(_ user: String) -> Bool {
        if blockedUsers.contains(user) { return false }
        return allowedUsers.contains("*") || allowedUsers.contains(user)
    }

    /// Admins may use `/admin/*` and see everyone's submissions.
    func isAdmin(_ user: String) -> Bool {
        adminUsers.contains(user)
    }
}
