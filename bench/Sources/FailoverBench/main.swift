// Failover benchmark driver: starts two simulated clusters, runs `bpg serve --config` against them,
// submits SparkPi jobs from several workers for a fixed time, and takes cluster A's API server down
// (connections refused) halfway through. Prints submissions/s and errors, one `key=value` line per run.
//
//   FailoverBench BPG_BINARY SECONDS WORKERS MODE
//   MODE: reference (no outage), failover (outage, health on, 2 attempts), bpg (outage, BPG defaults)
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import BenchSupport
import Foundation
import KubeSimulator
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 5, let seconds = Double(arguments[2]), let workers = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: FailoverBench BPG_BINARY SECONDS WORKERS reference|failover|bpg\n".utf8))
    exit(2)
}
let binary = arguments[1]
let mode = arguments[4]
let outage = mode != "reference"
let failover = mode != "bpg"

let request = """
    {"applicationName":"SparkPi","queue":"dev","sparkVersion":"3.5.0",\
    "mainApplicationFile":"local:///usr/lib/spark/examples/jars/spark-examples.jar",\
    "mainClass":"org.apache.spark.examples.SparkPi","arguments":["1000"],\
    "driver":{"cores":1,"memory":"2g"},"executor":{"instances":2,"cores":1,"memory":"2g"}}
    """

func configuration(_ clusters: [SimulatedCluster]) -> String {
    let ca = Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8).base64EncodedString()
    var text = BenchConfiguration.header() + """
        gateway:
          store:
            backend: memory

        """
    if failover {
        text += """
              health:
                enabled: true
                probeIntervalMillis: 500
                probeTimeoutMillis: 500
              routing:
                maxAttempts: 2

            """
    }
    text += "sparkClusters:\n"
    for (id, cluster) in zip(["spark-cluster-a", "spark-cluster-b"], clusters) {
        text += BenchConfiguration.clusterEntry(
            id: id, weight: 50, masterURL: cluster.baseURL, caBase64: ca, token: cluster.configuration.bearerToken ?? "",
            namespace: "spark-operator", extra: "    timeoutMillis: 5000\n")
    }
    return text
}

/// Counts outcomes across workers.
final class Tally: Sendable {
    private let counts = Mutex<(ok: Int, errors: Int, statuses: [Int: Int])>((0, 0, [:]))
    func add(_ status: Int) {
        counts.withLock { counts in
            if status == 200 { counts.ok += 1 } else { counts.errors += 1; counts.statuses[status, default: 0] += 1 }
        }
    }
    var value: (ok: Int, errors: Int, statuses: [Int: Int]) { counts.withLock { $0 } }
}

func post(_ session: URLSession, _ url: URL) async -> Int {
    var urlRequest = URLRequest(url: url)
    urlRequest.httpMethod = "POST"
    urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
    urlRequest.setValue("bench", forHTTPHeaderField: "User-Account")
    urlRequest.httpBody = Data(request.utf8)
    urlRequest.timeoutInterval = 30
    do {
        let (_, response) = try await session.data(for: urlRequest)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    } catch {
        return 0
    }
}

let clusters = try (0..<2).map { _ -> SimulatedCluster in
    var settings = SimulatedClusterConfiguration()
    settings.bearerToken = "bench-\(UUID().uuidString.lowercased())"
    // Jobs stay SUBMITTED: the operator does no work during the run.
    settings.operatorTimings = SimulatedOperatorTimings(submission: .seconds(3600), start: .seconds(3600), run: .seconds(3600))
    let cluster = SimulatedCluster(configuration: settings)
    try cluster.start()
    return cluster
}

let port = freePort()
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bpg-bench-failover-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
let configPath = directory.appendingPathComponent("config.yaml")
try Data(configuration(clusters).utf8).write(to: configPath)

let process = Process()
process.executableURL = URL(fileURLWithPath: binary)
process.arguments = ["serve", "--config", configPath.path, "--host", "127.0.0.1", "--port", "\(port)"]
process.standardOutput = FileHandle.nullDevice
process.standardError = FileHandle.nullDevice
try process.run()

let session = URLSession(configuration: .ephemeral)
let base = "http://127.0.0.1:\(port)/skatev2"
var ready = false
for _ in 0..<100 {
    var probe = URLRequest(url: URL(string: base + "/healthcheck/status")!)
    probe.setValue("bench", forHTTPHeaderField: "User-Account")
    if let (_, response) = try? await session.data(for: probe), (response as? HTTPURLResponse)?.statusCode == 200 {
        ready = true
        break
    }
    try await Task.sleep(for: .milliseconds(100))
}

func stop() async {
    process.terminate()
    process.waitUntilExit()
    for cluster in clusters { await cluster.shutdown() }
    try? FileManager.default.removeItem(at: directory)
}

guard ready else {
    FileHandle.standardError.write(Data("bpg did not come up on port \(port)\n".utf8))
    await stop()
    exit(1)
}

// Warm-up: a few submissions so connections and caches exist before timing.
let submitURL = URL(string: base + "/spark")!
for _ in 0..<20 { _ = await post(session, submitURL) }

let tally = Tally()
let clusterA = clusters[0]
let duration = Duration.milliseconds(Int(seconds * 1000))
let start = ContinuousClock.now
let deadline = start + duration
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<workers {
        group.addTask {
            while ContinuousClock.now < deadline { tally.add(await post(session, submitURL)) }
        }
    }
    if outage {
        group.addTask {
            try? await Task.sleep(until: start + duration / 2, clock: .continuous)
            await clusterA.stopAnswering()
        }
    }
}
let elapsed = ContinuousClock.now - start
let (ok, errors, statuses) = tally.value
let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
await stop()
let statusText = statuses.sorted { $0.key < $1.key }.map { "\($0.key)x\($0.value)" }.joined(separator: ",")
print(
    "mode=\(mode) submissions=\(ok) errors=\(errors) per_s=\(Int((Double(ok) / elapsedSeconds).rounded()))"
        + " seconds=\(String(format: "%.1f", elapsedSeconds)) statuses=\(statusText.isEmpty ? "-" : statusText)")
