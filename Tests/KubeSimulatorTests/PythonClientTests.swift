import Foundation
import KubeClient
import Testing
import TestSupport

@testable import KubeSimulator

/// The official Python `kubernetes` client against a live simulated cluster, through the kubeconfig
/// `bpg simulate-cluster` writes (`SimulatedCluster.kubeconfig`): create, merge and JSON patches,
/// replace (and a stale one's 409), strategic merge on pods, `/status`, and the typed pod and event
/// models. `scripts/setup.sh --tests` installs the client into `.build-python/venv`; without it the
/// test is skipped, saying why.
struct PythonClientTests {
    static let repository = TestPython.repository
    static let python = TestPython.interpreter
    static let script = repository.appendingPathComponent("Tests/KubeSimulatorTests/Fixtures/python_client.py").path

    static let missing = TestPython.missing("kubernetes")

    @Test(.disabled(if: missing != nil, Comment(rawValue: missing ?? "")))
    func patchAndReplaceWithThePythonClient() async throws {
        var configuration = SimulatedClusterConfiguration()
        configuration.operatorTimings = SimulatedOperatorTimings(
            submission: .milliseconds(300), start: .milliseconds(300), run: .milliseconds(600), retryIntervalUnit: .milliseconds(50))
        let cluster = SimulatedCluster(configuration: configuration)
        try cluster.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("python-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("config")
        try Data(cluster.kubeconfig(namespace: "spark").utf8).write(to: kubeconfig)

        let python = Self.python
        let arguments = [Self.script, kubeconfig.path, "spark"]
        // Blocking: on a thread of its own, never on the cooperative pool.
        let completion: ChildProcess.Completion = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try ChildProcess.run(python, arguments, timeout: .seconds(120)) })
            }.start()
        }
        await cluster.shutdown()
        let output = String(decoding: completion.standardOutput, as: UTF8.self)
        let errors = String(decoding: completion.standardError, as: UTF8.self)
        #expect(completion.status == 0, "\(errors)")
        #expect(output.hasSuffix("OK\n"), "\(output)\(errors)")
    }
}
