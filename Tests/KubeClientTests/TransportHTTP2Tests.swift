import Foundation
import TestSupport
import Testing

@testable import KubeClient

/// HTTP/2 when the server offers it: against nginx (`http2` on its TLS listener), concurrent calls
/// are multiplexed over one connection instead of opening one each.
@Suite(.serialized)
struct TransportHTTP2Tests {
    static func nginx(http2: Bool) async throws -> (ThrowawayServer, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-nginx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
        let port = try freePortBelowEphemeralRange()
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            error_log \(directory)/logs/error.log;
            pid \(directory)/nginx.pid;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(directory);
                proxy_temp_path \(directory);
                fastcgi_temp_path \(directory);
                uwsgi_temp_path \(directory);
                scgi_temp_path \(directory);
                server {
                    listen 127.0.0.1:\(port) ssl\(http2 ? " http2" : "");
                    ssl_certificate \(try Fixtures.path("tls/server.pem"));
                    ssl_certificate_key \(try Fixtures.path("tls/server-key.pem"));
                    # 512 KiB at 2 MiB/s: each answer takes ~250 ms, so concurrent calls overlap.
                    location = /readyz { alias \(directory)/body; default_type text/plain; sendfile off; limit_rate 2m; }
                }
            }
            """
        try configuration.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        try Data(repeating: 0x61, count: 512 * 1024).write(to: URL(fileURLWithPath: directory + "/body"))
        let server = try await ThrowawayServer(
            "/usr/sbin/nginx", ["-e", directory + "/logs/stderr.log", "-p", directory, "-c", directory + "/nginx.conf"],
            port: port)
        return (server, directory)
    }

    static func concurrentProbes(port: Int) async throws -> Int {
        var configuration = KubeClientConfiguration(
            clusterID: "h2", server: "https://127.0.0.1:\(port)",
            tls: .init(certificateAuthority: .pem(try Fixtures.data("tls/ca.pem"))))
        configuration.requestTimeout = .seconds(5)
        let client = try KubernetesClient(configuration: configuration)
        _ = try await client.probeHealth()  // establishes the connection (and learns the protocol)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try await client.probeHealth() } }
            try await group.waitForAll()
        }
        let opened = client.connectionsOpened
        await client.shutdown()
        return opened
    }

    @Test func concurrentCallsShareOneHTTP2Connection() async throws {
        let (server, directory) = try await Self.nginx(http2: true)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        #expect(try await Self.concurrentProbes(port: server.port) == 1)
    }

    @Test func http1ServersGetParallelConnections() async throws {
        let (server, directory) = try await Self.nginx(http2: false)
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        // The same load over HTTP/1.1 needs more than one connection: this is what the test above rules out.
        #expect(try await Self.concurrentProbes(port: server.port) > 1)
    }
}
