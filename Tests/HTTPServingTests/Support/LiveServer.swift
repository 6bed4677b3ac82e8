import Foundation
@testable import HTTPServing

/// Starts a server on a free loopback port for one test and always shuts it down.
@discardableResult
func withLiveServer<T>(
    _ responder: HTTPResponder,
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer, String) async throws -> T
) async throws -> T {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: responder)
    try server.start()
    let scheme = configuration.tls == nil ? "http" : "https"
    let host = configuration.tls == nil ? "127.0.0.1" : "localhost"
    do {
        let result = try await body(server, "\(scheme)://\(host):\(server.port)")
        await server.shutdown(gracePeriod: .seconds(2))
        return result
    } catch {
        await server.shutdown(gracePeriod: .seconds(2))
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes (for effects with no completion signal).
func eventually(timeout: Duration = .seconds(15), _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
