import Foundation

/// What one request presents: an `Authorization` header and, from exec plugins, a client certificate.
struct RequestCredentials: Sendable {
    var authorization: String?
    var clientCertificatePEM: Data?
    var clientKeyPEM: Data?
}

/// Produces credentials for requests and refreshes them: token files are re-read periodically and
/// on 401, exec plugin output is cached until its expiry and the plugin re-run on 401.
actor CredentialProvider {
    private let authentication: KubeClientConfiguration.Authentication
    private let clusterID: String
    private let now: @Sendable () -> Date
    private var cached: RequestCredentials?
    private var cachedUntil: Date?
    /// A plugin run in progress, shared by every request waiting for it.
    private var refreshing: Task<(RequestCredentials, Date?), any Error>?

    /// Credentials that never change (none, a fixed token, basic), served without an actor hop.
    nonisolated let fixed: RequestCredentials?

    init(authentication: KubeClientConfiguration.Authentication, clusterID: String, now: @escaping @Sendable () -> Date = Date.init) {
        self.authentication = authentication
        self.clusterID = clusterID
        self.now = now
        switch authentication {
        case .none: fixed = RequestCredentials()
        case .bearerToken(let token): fixed = RequestCredentials(authorization: "Bearer \(token)")
        case .basic(let username, let password):
            fixed = RequestCredentials(authorization: "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())")
        case .tokenFile, .exec: fixed = nil
        }
    }

    /// Whether a 401 may be cured by refreshing (token files and exec plugins).
    nonisolated var canRefresh: Bool {
        switch authentication {
        case .tokenFile, .exec: return true
        case .none, .bearerToken, .basic: return false
        }
    }

    /// The credentials to send now.
    func current() async throws(KubeError) -> RequestCredentials {
        switch authentication {
        case .none:
            return RequestCredentials()
        case .bearerToken(let token):
            return RequestCredentials(authorization: "Bearer \(token)")
        case .basic(let username, let password):
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            return RequestCredentials(authorization: "Basic \(encoded)")
        case .tokenFile, .exec:
            if let cached, cachedUntil.map({ now() < $0 }) ?? true { return cached }
            return try await refresh()
        }
    }

    /// Drops the cached credentials after the server rejected them.
    func invalidate() {
        cached = nil
        cachedUntil = nil
    }

    private func refresh() async throws(KubeError) -> RequestCredentials {
        let task: Task<(RequestCredentials, Date?), any Error>
        if let refreshing {
            task = refreshing
        } else {
            let authentication = self.authentication
            let clusterID = self.clusterID
            let now = self.now
            task = Task { try await Self.load(authentication, clusterID: clusterID, now: now) }
            refreshing = task
        }
        do {
            let (credentials, until) = try await task.value
            refreshing = nil
            cached = credentials
            cachedUntil = until
            return credentials
        } catch let error as KubeError {
            refreshing = nil
            throw error
        } catch {
            refreshing = nil
            throw KubeError(code: .credentials, clusterID: clusterID, message: "\(error)")
        }
    }

    private static func load(
        _ authentication: KubeClientConfiguration.Authentication, clusterID: String, now: @Sendable () -> Date
    ) async throws -> (RequestCredentials, Date?) {
        switch authentication {
        case .tokenFile(let path, let refreshInterval):
            let token = try readToken(path, clusterID: clusterID)
            let (seconds, attoseconds) = refreshInterval.components
            let interval = Double(seconds) + Double(attoseconds) / 1e18
            return (RequestCredentials(authorization: "Bearer \(token)"), now().addingTimeInterval(interval))
        case .exec(let configuration):
            let credential = try await ExecCredentialPlugin.run(configuration, clusterID: clusterID)
            let credentials = RequestCredentials(
                authorization: credential.token.map { "Bearer \($0)" },
                clientCertificatePEM: credential.clientCertificatePEM, clientKeyPEM: credential.clientKeyPEM)
            // Refresh a little before the stated expiry so an in-flight request does not carry a dead token.
            return (credentials, credential.expiration.map { $0.addingTimeInterval(-10) })
        case .none, .bearerToken, .basic:
            return (RequestCredentials(), nil)
        }
    }

    static func readToken(_ path: String, clusterID: String) throws(KubeError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubeError(code: .credentials, clusterID: clusterID, message: "token file '\(path)' cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw KubeError(code: .credentials, clusterID: clusterID, message: "token file '\(path)' is empty")
        }
        return token
    }
}
