// `portal [--once] [--port N]`: the embedded-gateway example as a process. It starts three simulated
// clusters, the portal on 127.0.0.1, and serves until SIGINT or SIGTERM; `--once` submits one job
// through the mounted routes instead, prints what happened, and stops (the smoke run).
import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import Logging
import Portal

let arguments = Array(CommandLine.arguments.dropFirst())
let once = arguments.contains("--once")
var port = once ? 0 : 8080
if let index = arguments.firstIndex(of: "--port"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    port = value
}

// Caught from the start, so a signal during startup still leads to an orderly shutdown.
let signals = SignalStream(SIGINT, SIGTERM)

let logger = Logger(label: "portal", level: .notice, handler: LogfmtLogHandler.standardError)
let token = "demo-token"
let clusters = try await DemoClusters.start(logger: logger)
var options = Portal.Options(
    configuration: clusters.configuration, costRates: DemoClusters.costRates,
    users: [token: AuthenticatedUser(name: "demo")])
options.port = port
options.logger = logger
let portal: Portal
do {
    portal = try await Portal.start(options)
} catch {
    await clusters.shutdown()
    throw error
}
let base = "http://127.0.0.1:\(portal.port)"
print("portal listening on \(base): GET /hello, BPG's API under \(options.prefix)/skatev2")

var failed = false
if once {
    do {
        failed = try await smokeRun(base: base + options.prefix + "/skatev2", token: token, hello: base + "/hello") == false
    } catch {
        print("smoke run failed: \(error)")
        failed = true
    }
} else {
    print("""
        submit the SparkPi job (goes to the cheapest cluster serving queue dev: spot):
          curl -s -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' \\
            -X POST \(base)\(options.prefix)/skatev2/spark -d '\(DemoClusters.sparkPiRequest(queue: "dev"))'
        press Ctrl-C to stop
        """)
    for await number in signals.received {
        print("signal \(number): stopping")
        break
    }
}

// Outermost first: the portal's server and the gateway, then the clusters it talked to.
await portal.shutdown()
await clusters.shutdown()
print("stopped")
exit(failed ? 1 : 0)

/// `GET /hello`, then one submission through the mounted routes; true when the job went to `spot`.
func smokeRun(base: String, token: String, hello: String) async throws -> Bool {
    let (helloStatus, helloBody) = try await send("GET", hello, token: nil)
    print("GET /hello → \(helloStatus) \(helloBody.trimmingCharacters(in: .whitespacesAndNewlines))")
    let (status, body) = try await send("POST", base + "/spark", token: token, body: DemoClusters.sparkPiRequest(queue: "dev"))
    print("POST /spark (queue dev) → \(status) \(body)")
    let id = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["submissionId"] as? String
    guard status == 200, let id else { return false }
    let (statusStatus, statusBody) = try await send("GET", base + "/spark/\(id)/status", token: token)
    print("GET /spark/\(id)/status → \(statusStatus) \(statusBody)")
    return helloStatus == 200 && id.hasPrefix("spot-") && statusStatus == 200
}

/// One request with URLSession. Only for answers that are not 401: URLSession on Linux waits
/// forever on a Basic challenge.
func send(_ method: String, _ url: String, token: String?, body: String? = nil) async throws -> (Int, String) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    if let body {
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}
