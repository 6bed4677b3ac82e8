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
    /// When non-empty, `User-Account` is believed only from these peer addresses (an auth proxy);
    /// from anywhere else the header is ignored and Basic credentials are required.
    var trustedProxyAddresses: Set<String> = []
    /// Whether `/admin/*` is limited to `adminUsers` (BPG reads `adminUsers` but never uses it).
    var enforceAdminUsers = false
    /// Whether a non-admin user may read, log and delete only their own submissions.
    var enforceOwnership = false

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
