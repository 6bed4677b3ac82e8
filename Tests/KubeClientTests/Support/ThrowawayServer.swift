import Foundation
import KubeClient
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A helper process started by a test (an `openssl s_server`, a `python3` HTTP server) on a free
/// loopback port, stopped by `stop()` (tests call it in `defer`).
final class ThrowawayServer: Sendable {
    let port: Int
    private let process: ChildProcess

    /// Starts `arguments` (with `{port}` replaced) and waits until the port accepts connections.
    init(_ executable: String, _ arguments: [String], port: Int? = nil) async throws {
        let port = try port ?? freePortBelowEphemeralRange()
        // s_server exits on EOF of stdin otherwise.
        let process = try ChildProcess.spawn(
            executable, arguments.map { $0.replacingOccurrences(of: "{port}", with: String(port)) },
            keepStandardInputOpen: true)
        self.port = port
        self.process = process
        for _ in 0..<100 {
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate(signal: SIGKILL)
        process.wait()
        throw StartFailed(command: executable)
    }

    func stop() {
        // SIGKILL: openssl s_server does not always stop on SIGTERM.
        process.terminate(signal: SIGKILL)
        process.wait()
    }

    struct StartFailed: Error { var command: String }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
