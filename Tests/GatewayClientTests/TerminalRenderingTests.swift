import Foundation
import Gateway
import KubeClient
import KubeSimulator
import Synchronization
import Testing

/// What a user sees on a real terminal: `bpg` runs inside tmux (a pseudo-terminal of a known size)
/// and the screen is read back with `tmux capture-pane`.
@Suite(.serialized, .timeLimit(.minutes(3)), .enabled(if: Tmux.path != nil, "tmux is not installed (apt-get install tmux)"))
struct TerminalRenderingTests {
    @Test func theWaitProgressLineIsRewrittenInPlace() async throws {
        let timings = SimulatedOperatorTimings(submission: .seconds(1), start: .seconds(1), run: .seconds(3))
        try await withLiveGateway(timings: timings) { gateway in
            let file = try temporaryFile(DevEnvironment.sparkPiRequest)
            try await withTmux(width: 100, height: 30) { tmux in
            try await tmux.run("'\(try BPGBinary.path)' submit '\(file)' --wait", environment: ["BPG_URL": gateway.url, "BPG_USER": "alice"])
            let seen = Mutex<[String]>([])
            let finished = try await eventually(timeout: .seconds(60)) {
                let screen = try await tmux.screen()
                if let line = screen.split(separator: "\n").first(where: { $0.contains("RUNNING") || $0.contains("SUBMITTED") }) {
                    seen.withLock { $0.append(String(line)) }
                }
                return screen.contains("EXIT=")
            }
            let progressSeen = seen.withLock { $0 }
            let screen = try await tmux.screen()
            #expect(finished, "\(screen)")
            let lines = screen.split(separator: "\n").map(String.init)
            let id = try #require(lines.first { $0.hasPrefix("spark-cluster-") }, "\(screen)")
            // The id on standard output, then one final line where the progress line was: no trail of states.
            #expect(lines.filter { $0.contains(id) }.count == 2, "\(screen)")
            #expect(lines.contains { $0.range(of: "^done \(id)  COMPLETED after \\d\\d:\\d\\d$", options: .regularExpression) != nil }, "\(screen)")
            #expect(lines.contains("EXIT=0"), "\(screen)")
            // While it ran: a spinner, the states so far and the time waited, on one line within the width.
            #expect(!progressSeen.isEmpty, "\(screen)")
            for line in progressSeen {
                #expect(line.count < 100, "\(line)")
                #expect(line.range(of: #"^[|/\\-] spark-cluster-\S+  .*(SUBMITTED|RUNNING).*  00:\d\d$"#, options: .regularExpression) != nil, "\(line)")
            }
            }
        }
    }

    @Test(arguments: [60, 80, 200])
    func listTablesFitTheTerminal(width: Int) async throws {
        try await withLiveGateway { gateway in
            let environment = CLITests.environment(gateway)
            let request = DevEnvironment.sparkPiRequest.replacingOccurrences(
                of: #""applicationName":"SparkPi""#, with: #""applicationName":"A-rather-long-application-name-for-a-narrow-terminal""#)
            let file = try temporaryFile(request)
            let id = try await BPGBinary.run(["submit", file], environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let listed = try await eventually { try await BPGBinary.run(["list"], environment: environment).stdout.contains(id) }
            #expect(listed)
            try await withTmux(width: width, height: 20) { tmux in
            try await tmux.run("'\(try BPGBinary.path)' list", environment: ["BPG_URL": gateway.url, "BPG_USER": "alice"])
            let done = try await eventually { try await tmux.screen().contains("EXIT=") }
            let screen = try await tmux.screen()
            #expect(done, "\(screen)")
            let lines = screen.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("EXIT=") }
            #expect(lines.first?.hasPrefix("SUBMISSION ID") == true, "\(screen)")
            // No line wraps (a wrapped table would show more lines than rows), and the id is whole.
            #expect(lines.count == 2, "\(screen)")
            #expect(lines.allSatisfy { $0.count <= width }, "\(screen)")
            #expect(lines.contains { $0.hasPrefix(id + "  ") }, "\(screen)")
            if width >= 200 {
                #expect(lines[0].contains("CREATED") && lines[1].contains("A-rather-long-application-name-for-a-narrow-terminal"), "\(screen)")
            } else {
                #expect(!lines[0].contains("CREATED"), "\(screen)")
            }
            }
        }
    }
}

extension TerminalRenderingTests {
    /// With real password checks and no password given, `bpg` asks on the terminal, once, with echo
    /// off: what the user types never appears on the screen.
    @Test func thePasswordPromptDoesNotEcho() async throws {
        let secret = "pw-\(UUID().uuidString.prefix(12))"
        let hashed = try await onThread { try ChildProcess.run("openssl", ["passwd", "-6", secret], timeout: .seconds(20)) }
        let hash = String(decoding: hashed.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(hashed.status == 0 && hash.hasPrefix("$6$"), "openssl passwd -6 failed")
        let htpasswd = try temporaryFile("alice:\(hash)\n", name: "htpasswd")
        try await withLiveGateway(configure: {
            $0.gateway.auth.mode = .htpasswd
            $0.gateway.auth.htpasswdFile = htpasswd
        }) { gateway in
            // Without a terminal there is no prompt: a wrong password is one line and exit status 5.
            let wrong = try await BPGBinary.run(["list"], environment: CLITests.environment(gateway, ["BPG_PASSWORD": "wrong"]))
            #expect(wrong.status == 5, "\(wrong)")
            #expect(wrong.stderr.split(separator: "\n").count == 1 && !wrong.stderr.contains("wrong"), "\(wrong)")

            try await withTmux(width: 100, height: 20) { tmux in
                try await tmux.run("'\(try BPGBinary.path)' list", environment: ["BPG_URL": gateway.url, "BPG_USER": "alice"])
                let asked = try await eventually { try await tmux.screen().contains("Password for alice at http://127.0.0.1:") }
                let prompt = try await tmux.screen()
                #expect(asked, "\(prompt)")
                try await tmux.type(secret)
                let done = try await eventually { try await tmux.screen().contains("EXIT=") }
                let screen = try await tmux.screen()
                #expect(done, "\(screen)")
                #expect(!screen.contains(secret), "\(screen)")
                #expect(screen.contains("SUBMISSION ID") && screen.contains("EXIT=0"), "\(screen)")
            }
        }
    }
}

/// One private tmux server (its own socket) holding one session of a fixed size.
struct Tmux: Sendable {
    static let path: String? = ["/usr/bin/tmux", "/bin/tmux", "/usr/local/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let socket: String
    let width: Int
    let height: Int

    init(width: Int, height: Int) throws {
        socket = NSTemporaryDirectory() + "bpg-tmux-\(UUID().uuidString.prefix(8)).sock"
        self.width = width
        self.height = height
    }

    private func tmux(_ arguments: [String]) async throws -> ChildProcess.Completion {
        let path = try #require(Self.path)
        let socket = socket
        return try await onThread {
            try ChildProcess.run(path, ["-S", socket] + arguments, environment: ["TERM": "xterm-256color", "PATH": "/usr/bin:/bin"],
                                 timeout: .seconds(20))
        }
    }

    /// Starts `command` in the session; the screen shows `EXIT=<status>` when it ends.
    func run(_ command: String, environment: [String: String]) async throws {
        let variables = BPGBinary.environment(environment).map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let line = "env \(variables) sh -c \"\(command.replacingOccurrences(of: "\"", with: "\\\"")); echo EXIT=\\$?; sleep 120\""
        let started = try await tmux(["new-session", "-d", "-s", "bpg", "-x", "\(width)", "-y", "\(height)", line])
        guard started.status == 0 else {
            throw TestFailure("tmux new-session failed: \(String(decoding: started.standardError, as: UTF8.self))")
        }
    }

    /// Types `text` and Enter into the session.
    func type(_ text: String) async throws {
        _ = try await tmux(["send-keys", "-t", "bpg", "-l", text])
        _ = try await tmux(["send-keys", "-t", "bpg", "Enter"])
    }

    /// The visible screen, trailing blank lines removed.
    func screen() async throws -> String {
        let captured = try await tmux(["capture-pane", "-p", "-t", "bpg"])
        return String(decoding: captured.standardOutput, as: UTF8.self).trimmingCharacters(in: .newlines)
    }

    /// Ends the session and its server (the processes this test started).
    func stop() async {
        _ = try? await tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }
}

/// Runs `body` with a private tmux session and always stops its server.
func withTmux<T>(width: Int, height: Int, _ body: (Tmux) async throws -> T) async throws -> T {
    let tmux = try Tmux(width: width, height: height)
    do {
        let result = try await body(tmux)
        await tmux.stop()
        return result
    } catch {
        await tmux.stop()
        throw error
    }
}
