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
    /// How long a connection may stay idle (no bytes received or sent) before it is closed.
    /// libmicrohttpd counts whole seconds, so this is rounded up. Slow senders are bounded by
    /// `headerTimeout`, not by this.
    public var connectionTimeout: Duration = .seconds(30)
    /// The most connections served at once. Past it a new connection still gets in (a reserve of
    /// `max(16, maxConnections / 16)` more is kept for that), and the connection that has waited
    /// longest without sending complete headers is closed; only when the reserve too is full do new
    /// connections wait in the listen backlog.
    public var maxConnections: Int = 1024
    /// The most connections one client address may hold at once; further ones are closed as soon as
    /// they are accepted. 0 means no limit (for a server reached only through a proxy, where every
    /// connection comes from the proxy's addresses, raise it or set 0).
    public var maxConnectionsPerAddress: Int = 512
    /// How long a client has to send a complete request head (request line and headers) on a new
    /// connection. Unlike `connectionTimeout`, which a client sending one byte now and then never
    /// reaches, this is a deadline: the connection is closed when it passes. On a kept-alive
    /// connection the next head is due within `connectionTimeout + headerTimeout` of the previous
    /// response, and within `headerTimeout` of its request line.
    public var headerTimeout: Duration = .seconds(10)
    /// Threads in libmicrohttpd's epoll pool. Handlers never run on them: they run as Swift tasks.
    public var threadCount: Int = 2
    /// Serves HTTPS when set.
    public var tls: TLS? = nil
    /// How many bytes of a streamed body may wait for a slow client before `HTTPBodyWriter.write`
    /// suspends the producer.
    public var streamBufferBytes: Int = 256 << 10
    /// How many bytes of a streamed request body (`HTTPRouterBuilder.add(_:_:streamingBodyUpTo:_:)`)
    /// may wait for the handler to read them; past it the server stops reading from that
    /// connection until the handler catches up.
    public var requestBodyBufferBytes: Int = 1 << 20
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
