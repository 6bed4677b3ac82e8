import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import TestSupport
import Testing

@testable import Gateway

/// The web UI in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`)
/// driven by Python's `selenium` (`scripts/setup.sh --tests` installs all three) against a dev-mode
/// gateway: submit from the form, follow the job to COMPLETED and its log to `Pi is roughly`, read a
/// failed job's reason, see a down cluster. Screenshots go to `.build/artefacts/webui/`. Without the
/// browser or selenium the test is skipped with the reason.
@Suite(.serialized) struct WebUIBrowserTests {
    static let repository = TestPython.repository
    static let python = TestPython.interpreter
    static let script = repository.appendingPathComponent("Tests/GatewayServerTests/Fixtures/webui_browser.py").path
    static let artefacts = repository.appendingPathComponent(".build/artefacts/webui").path

    static let missing: String? = {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "\(tool) is not installed: run ./scripts/setup.sh --tests (Debian's chromium and chromium-driver)"
        }
        return TestPython.missing("selenium")
    }()

    @Test(.disabled(if: missing != nil, Comment(rawValue: missing ?? "")), .timeLimit(.minutes(5)))
    func submitFollowAndInspectInChromium() async throws {
        let directory = NSTemporaryDirectory() + "bpg-webui-\(UUID().uuidString)"
        // Slow enough to watch the timeline grow and for the failer below to pick the doomed job's
        // outcome before the operator does.
        let timings = SimulatedOperatorTimings(submission: .milliseconds(1500), start: .milliseconds(500), run: .seconds(2))
        let dev = try await DevEnvironment.start(sqlitePath: directory + "/bpg.sqlite", timings: timings, logger: .disabled)
        var configuration = dev.configuration.configuration
        configuration.gateway.health.probeIntervalMillis = 300
        configuration.gateway.health.probeTimeoutMillis = 300
        var options = GatewayApplication.Options(configuration: configuration)
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
        // spark-cluster-b goes down; routing skips it once its breaker opens, and the clusters page shows it.
        await dev.clusters[1].stopAnswering()
        let failer = Task { await Self.failJobsNamedMustFail(store: gateway.store, clusters: dev.clusters) }
        let result: ChildProcess.Completion
        do {
            try await Self.waitUntilDown("spark-cluster-b", gateway)
            try FileManager.default.createDirectory(atPath: Self.artefacts, withIntermediateDirectories: true)
            let base = "http://127.0.0.1:\(gateway.port)"
            result = try await onThread {
                try ChildProcess.run(Self.python, [Self.script, base, "/skatev2", Self.artefacts], timeout: .seconds(240))
            }
        } catch {
            failer.cancel()
            await gateway.shutdown()
            await dev.shutdown()
            throw error
        }
        failer.cancel()
        await gateway.shutdown()
        await dev.shutdown()
        try? FileManager.default.removeItem(atPath: directory)

        let output = String(decoding: result.standardOutput, as: UTF8.self)
        let errors = String(decoding: result.standardError, as: UTF8.self)
        #expect(!result.timedOut, "the browser checks timed out:\n\(output)\n\(errors)")
        #expect(result.status == 0, "the browser checks failed:\n\(output)\n\(errors)")
        #expect(output.contains("all checks passed"), "\(output)\n\(errors)")
        for name in ["job-completed", "job-failed", "jobs", "clusters", "submit-invalid", "jobs-phone"] {
            #expect(FileManager.default.fileExists(atPath: "\(Self.artefacts)/\(name).png"), "screenshot \(name)")
        }
    }

    static func waitUntilDown(_ cluster: String, _ gateway: GatewayApplication) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if gateway.service.health.report().clusters.first(where: { $0.id == cluster })?.health == "down" { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("\(cluster) was not reported down within 30 s")
    }

    /// Tells the simulated operators to fail the applications of jobs named `must-fail`, found through
    /// the records as soon as they are written.
    static func failJobsNamedMustFail(store: any SubmissionStore, clusters: [SimulatedCluster]) async {
        var handled: Set<String> = []
        while !Task.isCancelled {
            if let page = try? await store.listSubmissions(SubmissionQuery(appName: "must-fail", limit: 100)) {
                for record in page.records where !handled.contains(record.submissionId) {
                    handled.insert(record.submissionId)
                    for cluster in clusters { cluster.setOutcome(.failed, forApplicationNamed: record.submissionId) }
                }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
