/// Turns a ``SecretReference`` into its value. Implemented outside Core (environment access and
/// Kubernetes Secret reads are I/O).
///
/// BPG falls back to the raw configured string when a reference cannot be resolved; an implementation
/// should instead throw, so a missing secret fails at startup with a clear error.
public protocol SecretResolver: Sendable {
    /// The secret's value.
    func resolve(_ reference: SecretReference) async throws -> String
}
