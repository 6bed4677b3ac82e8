import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// Real Livy clients (Python) against a dev-mode gateway on loopback: the `livy` package from PyPI and,
/// when installed, Airflow's `LivyHook`. `scripts/setup.sh --tests` installs them into `.build-python/venv`;
/// without Python or the packages these tests skip, saying why.
@Suite(.serialized) struct LivyClientTests {
    static let repository = TestPython.repository
    static let python = TestPython.interpreter
    static let script = repository.appendingPathComponent("Tests/GatewayServerTests/Fixtures/livy_clients.py").path

    /// Long enough a run for pollers (and the gateway's 990 ms status cache) to see `running`, and a
    /// submission step long enough for the `must-fail` watcher to act before the outcome is picked.
    static let timings = SimulatedOperatorTimings(submission: .milliseconds(1500), start: .milliseconds(400), run: .seconds(3))

    static let livyMissing = TestPython.missing("livy")
    static let airflowMissing = TestPython.missing("airflow.providers.apache.livy.hooks.livy")

    @Test(.disabled(if: livyMissing != nil, Comment(rawValue: livyMissing ?? "")))
    func livyPythonClient() async throws {
        try await runClients("livy")
    }

    @Test(.disabled(if: airflowMissing != nil, Comment(rawValue: airflowMissing ?? "")))
    func airflowLivyHook() async throws {
        try await runClients("airflow")
    }

    /// Starts a dev-mode gateway (two simulated clusters, SQLite, BPG's any-user auth), fails every
    /// batch named `must-fail`, and runs the Python checks against it.
    func runClients(_ which: String) async throws {
        let directory = NSTemporaryDirectory() + "bpg-livy-clients-\(UUID().uuidString)"
        let dev = try await DevEnvironment.start(
            sqlitePath: directory + "/bpg.sqlite", timings: Self.timings, logger: .disabled)
        var options = GatewayApplication.Options(configuration: dev.configuration.configuration)
        options.host = "127.0.0.1"
        options.port = 0
        options.shutdownGracePeriod = .seconds(2)
        let gateway: GatewayApplication
        do {
            gateway = try await GatewayApplication.start(options)
        } catch {
            await dev.shutdown()
            throw error
        }
        let failer = Task { await Self.failBatchesNamedMustFail(store: gateway.store, clusters: dev.clusters) }
        // Airflow's hook uses the mount at the server root (its connection has no path), the `livy`
        // client the one under the context path.
        let base = which == "airflow" ? "http://127.0.0.1:\(gateway.port)" : "http://127.0.0.1:\(gateway.port)/skatev2"
        let result: ChildProcess.Completion
        do {
            result = try await onThread {
                try ChildProcess.run(Self.python, [Self.script, base, which], timeout: .seconds(300))
            }
        } catch {
            failer.cancel()
            await gateway.shutdown()
            await dev.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        failer.cancel()
        await gateway.shutdown()
        await dev.shutdown()
        try? FileManager.default.removeItem(atPath: directory)

        let output = String(decoding: result.standardOutput, as: UTF8.self)
        let errors = String(decoding: result.standardError, as: UTF8.self)
        #expect(!result.timedOut, "the \(which) checks timed out:\n\(output)\n\(errors)")
        #expect(result.status == 0, "the \(which) checks failed:\n\(output)\n\(errors)")
        #expect(output.contains("all checks passed"), "\(output)")
    }

    /// Tells both simulated operators to fail the applications of batches named `must-fail`, found
    /// through the records as soon as they are written.
    static func failBatchesNamedMustFail(store: any SubmissionStore, clusters: [SimulatedCluster]) async {
        var handled: Set<String> = []
        while !Task.isCancelled {
            if let page = try? await store.livyBatches(user: nil, from: 0, size: 1000) {
                for batch in page.batches where !handled.contains(batch.submissionId) {
                    guard let record = try? await store.submission(id: batch.submissionId) else { continue }
                    handled.insert(batch.submissionId)
                    if record.appName == "must-fail" {
                        for cluster in clusters { cluster.setOutcome(.failed, forApplicationNamed: batch.submissionId) }
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
