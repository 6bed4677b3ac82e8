import Foundation
import Testing

@testable import KubeClient

/// Child processes (exec credential plugins, test helpers) through `posix_spawn`.
@Suite struct ChildProcessTests {
    @Test func runCollectsBothStreamsAndTheStatus() throws {
        let completion = try ChildProcess.run(
            "/bin/sh", ["-c", "printf out; printf err >&2; exit 3"], timeout: .seconds(20))
        #expect(String(decoding: completion.standardOutput, as: UTF8.self) == "out")
        #expect(String(decoding: completion.standardError, as: UTF8.self) == "err")
        #expect(completion.status == 3)
        #expect(!completion.timedOut)
    }

    @Test func aLargeOutputOnBothStreamsDoesNotStall() throws {
        // 1 MiB on each stream: more than a pipe holds, so both must be drained as they fill.
        let completion = try ChildProcess.run(
            "/bin/sh", ["-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"], timeout: .seconds(20))
        #expect(completion.standardOutput.count == 1 << 20)
        #expect(completion.standardError.count == 1 << 20)
    }

    @Test func environmentAndPathLookup() throws {
        let completion = try ChildProcess.run(
            "sh", ["-c", "printf %s \"$GREETING\""], environment: ["GREETING": "hello", "PATH": "/usr/bin:/bin"],
            timeout: .seconds(20))
        #expect(String(decoding: completion.standardOutput, as: UTF8.self) == "hello")
    }

    @Test func aChildPastItsTimeoutIsKilled() throws {
        let started = ContinuousClock.now
        let completion = try ChildProcess.run("/bin/sleep", ["30"], timeout: .milliseconds(300))
        #expect(completion.timedOut)
        #expect(completion.status == 128 + SIGKILL)
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func aMissingExecutableIsAnError() {
        #expect(throws: ChildProcess.SpawnError.self) {
            try ChildProcess.run("/nonexistent/plugin", [], timeout: .seconds(5))
        }
    }

    @Test func spawnedChildWritesToAFileAndStopsOnASignal() throws {
        let path = NSTemporaryDirectory() + "child-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let child = try ChildProcess.spawn("/bin/sh", ["-c", "echo started; exec sleep 30"], output: .file(path))
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, (try? String(contentsOfFile: path, encoding: .utf8)) != "started\n" {
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect((try? String(contentsOfFile: path, encoding: .utf8)) == "started\n")
        child.terminate()
        #expect(child.wait() == 128 + SIGTERM)
    }
}
