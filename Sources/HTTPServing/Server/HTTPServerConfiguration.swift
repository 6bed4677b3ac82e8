import Logging

/// How an `HTTPServer` binds, limits and logs. Every default is safe for production use.
///
/// ```swift
/// var configuration = HTTPServerConfiguration()
/// configuration.port = 0                     // any free port; read `server.port` after start
/// configuration.tls = .init(certificatePath: "server.pem", privateKeyPath: "server.key")
/// ```
public struct HTTPServerConfiguration: Sendable {
    /// The numeric IPv4 or IPv6 address to bind (`"0.0.0.0"` or `"::"` for every interface);
    /// `"localhost"` means `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 picks a free port, which `HTTPServer.port` reports after `start()`.
    public var port: Int = 8080
    /// The largest request body accepted. Larger bodies get `413 {"code":413,…}`: at once when
    /// `Content-Length` announces it, otherwise as soon as the received bytes exceed it.
    public var maxBodyBytes: Int = 10 << 20
    /// How long a connection may stay idle (no bytes received or sent) before it is closed; also
    /// bounds slow-loris clients. libmicrohttpd counts whole seconds, so this is rounded up.
    public var connectionTimeout: Duration = .seconds(30)
    /// The most connections served at once; further ones wait in the listen backlog until one closes.
    public var maxConnections: Int = 1024
    /// Threads in libmicrohttpd's epoll pool. Handlers never run on them: they run as Swift tasks.
    public var threadCount: Int = 2
    /// Serves HTTPS when set.
    public var tls: TLS? = nil
    /// How many bytes of a streamed body may wait for a slow client before `HTTPBodyWriter.write`
    /// suspends the producer.
    public var streamBufferBytes: Int = 256 << 10
    /// Receives the server's debug and trace lines (never bodies or credentials).
    public var logger: Logger = .disabled

    /// Certificate and private key files for HTTPS, both PEM.
    public struct TLS: Sendable {
        /// The server certificate chain (leaf first), PEM.
        public var certificatePath: String
        /// The private key of the leaf certificate, PEM (unencrypted).
        public var privateKeyPath: String

        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    public init() {}
}
