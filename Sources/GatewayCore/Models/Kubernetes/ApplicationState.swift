/// `status.applicationState`: the operator's state string and error message.
public struct ApplicationState: Codable, Hashable, Sendable {
    /// An operator application state. Unknown strings (newer operators add states) are preserved.
    public struct Kind: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
        ExpressibleByStringLiteral
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { rawValue = value }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(rawValue)
        }
        public var description: String { rawValue }

        /// Created; the operator has not acted yet (the empty string).
        public static let new: Kind = ""
        public static let submitted: Kind = "SUBMITTED"
        public static let submissionFailed: Kind = "SUBMISSION_FAILED"
        public static let running: Kind = "RUNNING"
        public static let succeeding: Kind = "SUCCEEDING"
        public static let failing: Kind = "FAILING"
        public static let pendingRerun: Kind = "PENDING_RERUN"
        public static let invalidating: Kind = "INVALIDATING"
        public static let completed: Kind = "COMPLETED"
        public static let failed: Kind = "FAILED"
        public static let unknown: Kind = "UNKNOWN"
        public static let suspending: Kind = "SUSPENDING"
        public static let suspended: Kind = "SUSPENDED"
        public static let resuming: Kind = "RESUMING"

        /// `COMPLETED` or `FAILED`: the operator will not change the application any more.
        public var isTerminal: Bool { self == .completed || self == .failed }
    }

    public var state: Kind
    public var errorMessage: String?

    public init(state: Kind, errorMessage: String? = nil) {
        self.state = state
        self.errorMessage = errorMessage
    }
}
