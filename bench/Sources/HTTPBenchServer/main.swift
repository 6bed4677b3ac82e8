// Serves `{"status":"OK"}` on GET / until SIGTERM or SIGINT, for bench/http/run.sh.
// Usage: HTTPBenchServer [port] [threads]; prints "listening <port>" once ready.
import Dispatch
import Foundation
import HTTPServing

let arguments = CommandLine.arguments
var configuration = HTTPServerConfiguration()
configuration.port = arguments.count > 1 ? Int(arguments[1]) ?? 0 : 0
configuration.threadCount = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2

let body = Data(#"{"status":"OK"}"#.utf8)
var router = HTTPRouterBuilder()
router.add(.get, "/") { _ in .json(body) }
let server = HTTPServer(configuration: configuration, responder: router.build())
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("start failed: \(error) \((error as? HTTPServerError)?.detail ?? "")\n".utf8))
    exit(1)
}
print("listening \(server.port)")
fflush(nil)

// Wait for SIGTERM/SIGINT on this (main, non-cooperative) thread.
var signals = sigset_t()
sigemptyset(&signals)
sigaddset(&signals, SIGTERM)
sigaddset(&signals, SIGINT)
pthread_sigmask(SIG_BLOCK, &signals, nil)
var received: Int32 = 0
sigwait(&signals, &received)

let done = DispatchSemaphore(value: 0)
Task.detached {
    await server.shutdown(gracePeriod: .seconds(2))
    done.signal()
}
done.wait()
