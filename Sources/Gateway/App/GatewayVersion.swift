/// The gateway's version, reported by `bpg --version` and `GET <root>/admin/version`.
public enum GatewayVersion {
    public static let current = "0.1.0-dev"
}
