import Foundation
import Gateway
import GatewayCore
import KubeClient
import KubeSimulator
import Logging
import Testing

/// A dev-mode gateway (two simulated clusters reached in process, an SQLite store) served by the
/// bundled server on a free loopback port, for running the `bpg` binary against.
struct LiveGateway: Sendable {
    let application: GatewayApplication
    let dev: DevEnvironment
    var url: String { "http://127.0.0.1:\(application.port)" }

    /// Every simulated cluster runs `submissionId` to `outcome`.
    func setOutcome(_ outcome: SimulatedOutcome, for submissionId: String) {
        for cluster in dev.clusters { cluster.setOutcome(outcome, forApplicationNamed: submissionId) }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Starts a live dev-mode gateway for one test and always shuts it down.
func withLiveGateway<T>(
    timings: SimulatedOperatorTimings = SimulatedOperatorTimings(
        submission: .milliseconds(300), start: .milliseconds(300), run: .milliseconds(1200)),
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (LiveGateway) async throws -> T
) async throws -> T {
    let directory = NSTemporaryDirectory() + "bpg-cli-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let dev = try await DevEnvironment.start(sqlitePath: directory + "/dev.sqlite", timings: timings, logger: .disabled, inProcess: true)
    var configuration = dev.configuration.configuration
    configure(&configuration)
    var options = GatewayApplication.Options(configuration: configuration)
    options.host = "127.0.0.1"
    options.port = 0
    options.shutdownGracePeriod = .seconds(2)
    let application: GatewayApplication
    do {
        options.service.clusterClients = try await dev.clusterClients(for: configuration)
        application = try await GatewayApplication.start(options)
    } catch {
        await dev.shutdown()
        throw error
    }
    let gateway = LiveGateway(application: application, dev: dev)
    do {
        let result = try await body(gateway)
        await application.shutdown()
        await dev.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        return result
    } catch {
        await application.shutdown()
        await dev.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        throw error
    }
}

/// Runs `body` on a thread of its own (blocking calls never run on the cooperative pool).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// The `bpg` executable built next to the test bundle, run as a child process.
enum BPGBinary {
    static var path: String {
        get throws {
            let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            let candidate = directory.appendingPathComponent("bpg").path
            guard FileManager.default.isExecutableFile(atPath: candidate) else {
                throw TestFailure("no bpg executable at \(candidate): build it first (swift build; scripts/test.sh does)")
            }
            return candidate
        }
    }

    /// A private home and config directory, so the user's own config file is never read.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let home = NSTemporaryDirectory() + "bpg-cli-home-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var environment = ["HOME": home, "XDG_CONFIG_HOME": home + "/.config", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        environment.merge(extra) { $1 }
        return environment
    }

    struct Result: Sendable, CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    /// Runs `bpg arguments…` to completion.
    static func run(_ arguments: [String], environment: [String: String], timeout: Duration = .seconds(60)) async throws -> Result {
        let path = try path
        let completion = try await onThread {
            try ChildProcess.run(path, arguments, environment: environment, timeout: timeout)
        }
        if completion.timedOut { throw TestFailure("bpg \(arguments.joined(separator: " ")) timed out") }
        return Result(
            status: completion.status, stdout: String(decoding: completion.standardOutput, as: UTF8.self),
            stderr: String(decoding: completion.standardError, as: UTF8.self))
    }

    /// Runs a shell command line (for standard input from a file), `bpg` standing for the binary.
    static func shell(_ command: String, environment: [String: String], timeout: Duration = .seconds(60)) async throws -> Result {
        var extended = environment
        extended["BPG"] = try path
        let environment = extended
        let completion = try await onThread {
            try ChildProcess.run("/bin/sh", ["-c", command], environment: environment, timeout: timeout)
        }
        return Result(
            status: completion.status, stdout: String(decoding: completion.standardOutput, as: UTF8.self),
            stderr: String(decoding: completion.standardError, as: UTF8.self))
    }
}

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "request.json") throws -> String {
    let directory = NSTemporaryDirectory() + "bpg-cli-input-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
