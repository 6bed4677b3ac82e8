import Foundation
import JSON

/// Compact JWS tokens signed with HMAC-SHA256 (`HS256`), as BPG's queue tokens are.
///
///     let token = JWT.signHS256(claims: ["iss": "admin", "allowedQueues": ["poc"]], secret: Data("s".utf8))
///     let claims = try JWT.Verifier(secrets: ["old", "s"]).verify(token, now: Date())
public enum JWT {
    /// Verifies `HS256` tokens against a list of secrets (any one may match, for rotation) and
    /// checks `exp`, `nbf` and `iat` against an injected time.
    public struct Verifier: Sendable {
        /// The secrets to try, in order.
        public var secrets: [Data]
        /// Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds. Default 30.
        public var leeway: TimeInterval

        /// Creates a verifier from raw secret bytes.
        public init(secrets: [Data], leeway: TimeInterval = 30) {
            self.secrets = secrets
            self.leeway = leeway
        }

        /// Creates a verifier from text secrets (their UTF-8 bytes are the keys, as in java-jwt).
        public init(secrets: [String], leeway: TimeInterval = 30) {
            self.init(secrets: secrets.map { Data($0.utf8) }, leeway: leeway)
        }

        /// Verifies a compact token and returns its claims.
        ///
        /// Order of checks: shape, header (`alg` must be `HS256`; `none` and every other algorithm are
        /// refused before any signature work), signature against each secret in constant time, then
        /// the payload and its time claims.
        ///
        /// - Throws: `JWTError`.
        public func verify(_ token: String, now: Date) throws(JWTError) -> JWTClaims {
            guard !secrets.isEmpty else { throw JWTError(.noSecrets, "no secrets are configured to verify the token") }
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw JWTError(.malformed, "the token must have three dot-separated parts, found \(parts.count)")
            }
            guard let headerBytes = Base64URL.decode(parts[0]) else {
                throw JWTError(.malformed, "the token header is not base64url")
            }
            let header = try JWT.object(from: headerBytes, part: "header")
            guard let algorithm = header["alg"]?.stringValue else {
                throw JWTError(.malformed, "the token header has no \"alg\"")
            }
            guard algorithm == "HS256" else {
                throw JWTError(.unsupportedAlgorithm, "the token algorithm \"\(algorithm)\" is not supported; only HS256 is")
            }
            if header["crit"] != nil {
                throw JWTError(.unsupportedAlgorithm, "the token header lists critical extensions, which are not supported")
            }
            guard let signature = Base64URL.decode(parts[2]), signature.count == 32 else {
                throw JWTError(.malformed, "the token signature is not a base64url HMAC-SHA256")
            }
            let signingInput = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
            // Try every secret even after a match so timing does not reveal which one matched.
            var matched = false
            for secret in secrets where constantTimeEquals(HMAC.sha256(key: secret, message: signingInput), signature) {
                matched = true
            }
            guard matched else { throw JWTError(.badSignature, "the token signature does not match") }

            guard let payload = Base64URL.decode(parts[1]) else {
                throw JWTError(.malformed, "the token payload is not base64url")
            }
            let claims = JWTClaims(values: try JWT.object(from: payload, part: "payload"), payload: payload)
            try checkTimes(claims, now: now)
            return claims
        }

        private func checkTimes(_ claims: JWTClaims, now: Date) throws(JWTError) {
            for name in ["exp", "nbf", "iat"] {
                if let value = claims[name], value.numberValue == nil {
                    throw JWTError(.malformed, "the token claim \"\(name)\" must be a number of seconds")
                }
            }
            if let expiry = claims.expiresAt, now.timeIntervalSince(expiry) > leeway {
                throw JWTError(.expired, "the token expired at \(JWT.format(expiry))")
            }
            if let notBefore = claims.notBefore, notBefore.timeIntervalSince(now) > leeway {
                throw JWTError(.notYetValid, "the token is not valid before \(JWT.format(notBefore))")
            }
            if let issuedAt = claims.issuedAt, issuedAt.timeIntervalSince(now) > leeway {
                throw JWTError(.notYetValid, "the token was issued in the future, at \(JWT.format(issuedAt))")
            }
        }
    }

    /// Signs claims as an `HS256` compact token with header `{"alg":"HS256","typ":"JWT"}`.
    /// Claims are written with sorted keys, so equal claims give equal tokens.
    public static func signHS256(claims: [String: JSONValue], secret: some Collection<UInt8>) -> String {
        // Non-finite numbers cannot be JSON values: `JSONValue.double` already made them null.
        let payload = JSONValue.object(JSONObject(claims)).jsonBytes(JSONFormat(sortedKeys: true))
        return signHS256(payload: Data(payload), secret: secret)
    }

    /// Signs a payload given as JSON bytes.
    public static func signHS256(payload: Data, secret: some Collection<UInt8>) -> String {
        let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let signingInput = header + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(HMAC.sha256(key: secret, message: Data(signingInput.utf8)))
    }

    static func object(from bytes: Data, part: String) throws(JWTError) -> [String: JSONValue] {
        guard let value = try? JSONValue(parsing: bytes), case .object(let object) = value else {
            throw JWTError(.malformed, "the token \(part) is not a JSON object")
        }
        return object.dictionary
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
