/// A kubeconfig `users[].user.exec` entry: a command that prints an `ExecCredential` (how EKS's
/// `aws eks get-token` and GKE's `gke-gcloud-auth-plugin` hand out tokens).
public struct ExecCredentialConfiguration: Sendable, Hashable {
    /// `client.authentication.k8s.io/v1` or `client.authentication.k8s.io/v1beta1`.
    public var apiVersion: String
    /// The program, resolved through `PATH` when it has no `/`, or relative to the kubeconfig's folder when it has one.
    public var command: String
    public var arguments: [String]
    /// Added to the inherited environment of the plugin.
    public var environment: [String: String]
    /// Shown in the error when the command cannot be run.
    public var installHint: String?
    /// How long the plugin may run before it is killed.
    public var timeout: Duration

    public static let supportedAPIVersions: Set<String> = [
        "client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1",
    ]

    public init(
        apiVersion: String = "client.authentication.k8s.io/v1", command: String, arguments: [String] = [],
        environment: [String: String] = [:], installHint: String? = nil, timeout: Duration = .seconds(60)
    ) {
        self.apiVersion = apiVersion
        self.command = command
        self.arguments = arguments
        self.environment = environment
        self.installHint = installHint
        self.timeout = timeout
    }
}
