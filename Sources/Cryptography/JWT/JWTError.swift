/// Why a token was not accepted. `code` is stable (usable as a metric label); `description`
/// adds detail safe to show the token's holder (it never contains a secret or the signature).
public struct JWTError: Error, CustomStringConvertible, Sendable {
    /// The failure kind.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case malformed, unsupportedAlgorithm = "unsupported_algorithm", badSignature = "bad_signature"
            case expired, notYetValid = "not_yet_valid", noSecrets = "no_secrets"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not three base64url parts, or a header or payload that is not a JSON object, or a time
        /// claim that is not a number.
        public static let malformed = Code(.malformed)
        /// `alg` is not `HS256` (including `none`), or the header marks extensions as critical.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// No configured secret produces the signature.
        public static let badSignature = Code(.badSignature)
        /// `exp` is in the past (beyond the leeway).
        public static let expired = Code(.expired)
        /// `nbf` or `iat` is in the future (beyond the leeway).
        public static let notYetValid = Code(.notYetValid)
        /// The verifier has no secrets: a configuration error, not the token's fault.
        public static let noSecrets = Code(.noSecrets)

        /// The label, such as `bad_signature`.
        public var description: String { base.rawValue }
    }

    /// The failure kind.
    public let code: Code
    /// What was wrong, in a sentence.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
