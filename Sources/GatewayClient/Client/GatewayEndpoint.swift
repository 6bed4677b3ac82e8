import Foundation

/// Where a gateway is and who the caller is: what a context (or `--url`/`--user`) resolves to.
public struct GatewayEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Scheme, host and port, without a trailing slash: `http://127.0.0.1:8080`.
    public var server: String
    /// The gateway's context root: `/skatev2` unless the gateway is configured otherwise.
    public var root: String
    /// HTTP Basic user name; nil sends no credentials.
    public var user: String?
    /// HTTP Basic password; never printed (`description` hides it).
    public var password: String?
    /// A PEM file of certificate authorities to trust for an HTTPS gateway (else the system's).
    public var caFile: String?

    public static let defaultRoot = "/skatev2"

    /// Splits `url` into server and root: a path in the URL is the context root (`http://h:8080/skatev2`),
    /// else `root` (default `/skatev2`).
    public init(url: String, root: String? = nil, user: String? = nil, password: String? = nil, caFile: String? = nil) throws(GatewayClientError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw .input("the gateway URL '\(url)' is not an http:// or https:// URL")
        }
        guard components.user == nil, components.password == nil else {
            throw .input("the gateway URL must not hold credentials: use --user, BPG_USER/BPG_PASSWORD or a context")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        server = "\(scheme)://\(hostPart)" + (components.port.map { ":\($0)" } ?? "")
        let path = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        let chosen = root ?? (path.isEmpty ? Self.defaultRoot : path)
        self.root = chosen.isEmpty || chosen == "/" ? "" : (chosen.hasPrefix("/") ? chosen : "/" + chosen)
        self.user = user
        self.password = password
        self.caFile = caFile
    }

    /// `server + root`: what every route is under.
    public var base: String { server + root }

    public var description: String { base + (user.map { " (user \($0))" } ?? "") }

    /// `Authorization: Basic …` when a user is set.
    var authorizationHeader: (String, String)? {
        guard let user else { return nil }
        let token = Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        return ("Authorization", "Basic \(token)")
    }
}
