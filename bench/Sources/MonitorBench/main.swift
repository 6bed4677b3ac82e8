// The application monitor benchmark (see ../../run.sh): seeds N applications (records in a SQLite
// store and SparkApplications on C simulated clusters), starts `bpg serve --config` on them, and
// measures the time to the first full sync, the event-to-record lag of a steady stream of
// transitions, and bpg's resident memory (against the same bpg with the monitor off).
//
// usage: MonitorBench <bpg binary> <work dir> [apps] [clusters] [stream apps/s] [stream seconds]
import BenchSupport
import Foundation
import GatewayCore
import KubeClient
import KubeSimulator
import Persistence
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: MonitorBench <bpg> <work dir> [apps] [clusters] [rate] [seconds]\n".utf8))
    exit(2)
}
let bpgPath = arguments[1]
let workDirectory = arguments[2]
let applicationCount = arguments.count > 3 ? Int(arguments[3]) ?? 20_000 : 20_000
let clusterCount = arguments.count > 4 ? Int(arguments[4]) ?? 4 : 4
let streamRate = arguments.count > 5 ? Int(arguments[5]) ?? 50 : 50
let streamSeconds = arguments.count > 6 ? Int(arguments[6]) ?? 20 : 20
let namespace = "spark-operator"
let databasePath = workDirectory + "/bpg.sqlite"

func log(_ message: String) {
    FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
}

func seconds(_ duration: Duration) -> Double { duration.seconds }

func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

// MARK: Clusters

let timings = SimulatedOperatorTimings(submission: .milliseconds(200), start: .milliseconds(200), run: .seconds(3))
var startedSimulators: [SimulatedCluster] = []
var startedClients: [KubernetesClient] = []
let clusterIds = (0..<clusterCount).map { "bench-cluster-\($0)" }
for (index, id) in clusterIds.enumerated() {
    var configuration = SimulatedClusterConfiguration()
    configuration.bearerToken = "bench-\(index)"
    configuration.operatorTimings = timings
    configuration.watchHistoryLimit = 1_000_000
    configuration.watchBufferLimit = 1_000_000
    configuration.eventLimit = 1000
    let simulator = SimulatedCluster(configuration: configuration)
    try simulator.start()
    startedSimulators.append(simulator)
    var clientConfiguration = KubeClientConfiguration(
        clusterID: id, server: simulator.baseURL,
        tls: .init(certificateAuthority: .pem(Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8))),
        authentication: .bearerToken("bench-\(index)"), defaultNamespace: namespace)
    clientConfiguration.requestTimeout = .seconds(120)
    startedClients.append(try KubernetesClient(configuration: clientConfiguration))
}
let simulators = startedSimulators
let clients = startedClients

func applicationJSON(_ name: String) -> Data {
    Data(
        """
        {"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication",
         "metadata":{"name":"\(name)","namespace":"\(namespace)",
           "labels":{"\(GatewayLabels.managedBy)":"\(GatewayLabels.managedByValue)","proxyUser":"bench"}},
         "spec":{"type":"Scala","mode":"cluster","sparkVersion":"3.5.0","image":"apache/spark:3.5.0",
           "mainApplicationFile":"local:///opt/spark/examples/jars/spark-examples.jar",
           "mainClass":"org.apache.spark.examples.SparkPi",
           "driver":{"cores":1,"coreRequest":"500m","memory":"2g"},
           "executor":{"instances":2,"cores":1,"memory":"4g"}}}
        """.utf8)
}

func newName(cluster: Int) -> String {
    var random = SystemRandomNumberGenerator()
    return SubmissionID.generate(clusterId: clusterIds[cluster], suffix: nil, using: &random)
}

/// Records the submission as the gateway would, then creates it on its cluster.
func submit(_ name: String, cluster: Int, store: any SubmissionStore) async throws {
    _ = try await store.insertSubmission(
        NewSubmission(submissionId: name, user: "bench", appName: "SparkPi", clusterId: clusterIds[cluster], namespace: namespace))
    let application = try JSONDecoder().decode(SparkApplication.self, from: applicationJSON(name))
    _ = try await clients[cluster].create(application, in: .sparkApplications, namespace: namespace)
}

// MARK: Seed

try? FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
let seedStore = try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: databasePath))
let seedStart = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<16 {
        group.addTask {
            for index in stride(from: worker, to: applicationCount, by: 16) {
                let cluster = index % clusterCount
                try await submit(newName(cluster: cluster), cluster: cluster, store: seedStore)
            }
        }
    }
    try await group.waitForAll()
}
log("seeded \(applicationCount) applications in \(format(seconds(ContinuousClock.now - seedStart)))s")
// Let the seeded applications finish (they run 3 s), so the sync sees settled history.
try await Task.sleep(for: .seconds(5))

// Reference: one client listing every application on every cluster, as the monitor's first list does.
let listStart = ContinuousClock.now
var listed = 0
for client in clients {
    listed += try await client.listAll(
        SparkApplication.self, .sparkApplications, namespace: namespace,
        options: ListOptions(labelSelector: GatewayLabels.managedBySelector)
    ).items.count
}
let listSeconds = seconds(ContinuousClock.now - listStart)
log("reference list of \(listed) applications: \(format(listSeconds))s")

// MARK: bpg

func configurationYAML(port: Int) -> String {
    let ca = Data(SimulatedCluster.developmentCertificateAuthorityPEM.utf8).base64EncodedString()
    var text = BenchConfiguration.header(extra: """
        memoryMbSecondCost: 0.0000001
        vCoreSecondCost: 0.00001
        server:
          applicationConnectors:
            - type: http
              port: \(port)
              bindHost: 127.0.0.1

        """) + """
        gateway:
          store:
            backend: sqlite
            sqlitePath: '\(databasePath)'
        sparkClusters:

        """
    for (index, simulator) in simulators.enumerated() {
        text += BenchConfiguration.clusterEntry(
            id: clusterIds[index], weight: 25, masterURL: simulator.baseURL, caBase64: ca, token: "bench-\(index)",
            namespace: namespace)
    }
    return text
}

func startBPG(monitor: Bool) throws -> Process {
    let configPath = workDirectory + "/bpg.yaml"
    try configurationYAML(port: freePort()).write(toFile: configPath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: bpgPath)
    process.arguments = ["serve", "--config", configPath, "--log-level", "warning"]
    var environment = ProcessInfo.processInfo.environment
    environment["BPG_MONITOR_ENABLED"] = monitor ? "true" : "false"
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return process
}

func stopBPG(_ process: Process) {
    process.interrupt()
    process.waitUntilExit()
}


/// Rows the monitor has written (`status_version > 0`), read with the sqlite3 shell (a separate reader).
func monitoredRows() -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [databasePath, "SELECT COUNT(*) FROM application_submission WHERE status_version > 0"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return 0 }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
}

// Reference memory: the same gateway with the monitor off.
let idle = try startBPG(monitor: false)
try await Task.sleep(for: .seconds(3))
let idleMegabytes = residentMegabytes(idle.processIdentifier)
stopBPG(idle)
log("bpg without monitor: \(format(idleMegabytes, 1)) MB resident")

// MARK: First sync

let bpg = try startBPG(monitor: true)
let syncStart = ContinuousClock.now
var synced = 0
while synced < applicationCount {
    if ContinuousClock.now - syncStart > .seconds(600) {
        log("sync incomplete after 600 s: \(synced) rows")
        break
    }
    try await Task.sleep(for: .milliseconds(100))
    synced = monitoredRows()
}
let syncSeconds = seconds(ContinuousClock.now - syncStart)
let syncMegabytes = residentMegabytes(bpg.processIdentifier)
log("first full sync: \(synced) rows in \(format(syncSeconds))s")

// MARK: Steady stream

/// Transitions the bench's own watch saw, waiting to be found in the store.
struct Pending {
    var name: String
    var state: String
    var version: Int64
    var seen: ContinuousClock.Instant
}
let pending = Mutex<[Pending]>([])
let lags = Mutex<[Double]>([])
let streaming = Atomic<Bool>(true)

let watchers = Task {
    await withDiscardingTaskGroup { group in
        for client in clients {
            group.addTask {
                let events = client.watch(
                    PodlessApplication.self, .sparkApplications, namespace: namespace,
                    options: WatchOptions(labelSelector: GatewayLabels.managedBySelector))
                var first = true
                for await event in events {
                    let now = ContinuousClock.now
                    switch event {
                    case .resynced:
                        first = false
                    case .added(let object), .modified(let object):
                        guard !first, let name = object.metadata.name, let state = object.status?.applicationState?.state,
                            !state.isEmpty, let version = Int64(object.metadata.resourceVersion ?? "")
                        else { continue }
                        pending.withLock { $0.append(Pending(name: name, state: state, version: version, seen: now)) }
                    case .deleted:
                        continue
                    }
                }
            }
        }
    }
}

let pollerStore = try await SQLiteSubmissionStore.open(SQLiteStoreConfiguration(path: databasePath))
let poller = Task {
    while streaming.load(ordering: .relaxed) || !pending.withLock({ $0.isEmpty }) {
        let batch = pending.withLock { $0 }
        var done: Set<String> = []
        for item in batch {
            guard let record = try? await pollerStore.submission(id: item.name) else { continue }
            if record.statusVersion >= item.version {
                let lag = seconds(ContinuousClock.now - item.seen)
                lags.withLock { $0.append(lag) }
                done.insert("\(item.name)/\(item.version)")
            }
        }
        pending.withLock { $0.removeAll { done.contains("\($0.name)/\($0.version)") } }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

try await Task.sleep(for: .seconds(1))
let streamStart = ContinuousClock.now
var streamed = 0
for second in 0..<streamSeconds {
    let tick = streamStart + .seconds(second + 1)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<streamRate {
            let cluster = (streamed + index) % clusterCount
            group.addTask { try await submit(newName(cluster: cluster), cluster: cluster, store: seedStore) }
        }
        try await group.waitForAll()
    }
    streamed += streamRate
    try await Task.sleep(until: tick)
}
// Let the last applications finish (3.4 s) and their transitions land.
try await Task.sleep(for: .seconds(5))
streaming.store(false, ordering: .relaxed)
let drainDeadline = ContinuousClock.now + .seconds(10)
while !pending.withLock({ $0.isEmpty }), ContinuousClock.now < drainDeadline {
    try await Task.sleep(for: .milliseconds(50))
}
let unobserved = pending.withLock { $0.count }
poller.cancel()
watchers.cancel()
let endMegabytes = residentMegabytes(bpg.processIdentifier)
stopBPG(bpg)

let lagSample = Sample(lags.withLock { $0 })

print(
    """
    monitor benchmark: \(applicationCount) applications on \(clusterCount) simulated clusters (SQLite store at \(databasePath))
      first full sync:   \(format(syncSeconds)) s for \(synced) records (\(format(Double(synced) / syncSeconds, 0)) records/s); \
    reference list of \(listed) objects by one client: \(format(listSeconds)) s; ratio sync/list \(format(syncSeconds / listSeconds, 1))
      event→record lag:  p50 \(format(lagSample.p50 * 1000, 1)) ms, p99 \(format(lagSample.p99 * 1000, 1)) ms, \
    max \(format(lagSample.max * 1000, 1)) ms over \(lagSample.count) transitions \
    (\(streamed) new applications at \(streamRate)/s for \(streamSeconds) s; \(unobserved) not seen in the store) — target p99 ≤ 1000 ms
      resident memory:   \(format(syncMegabytes, 1)) MB after sync, \(format(endMegabytes, 1)) MB at the end; \
    bpg without monitor \(format(idleMegabytes, 1)) MB; ratio \(format(endMegabytes / max(idleMegabytes, 1), 1))
    """)

record(
    "monitor", "first full sync of \(synced) records", syncSeconds, "s",
    reference: "one client lists them in \(format(listSeconds)) s", ratio: ratio(syncSeconds, to: listSeconds))
record("monitor", "event→record lag p50", lagSample.p50 * 1000, "ms")
record("monitor", "event→record lag p99", lagSample.p99 * 1000, "ms", target: .value(.atMost, 1000))
record(
    "monitor", "RSS with monitor, \(applicationCount) apps", endMegabytes, "MB",
    reference: "bpg without monitor \(format(idleMegabytes, 1)) MB", ratio: ratio(endMegabytes, to: idleMegabytes))

await pollerStore.shutdown()
await seedStore.shutdown()
for client in clients { await client.shutdown() }
for simulator in simulators { await simulator.shutdown() }
